// Runner filters (research/drone-server.md §3.2): normalised so that equal filters share one waiter group.

import type { Filter, Stage } from '../core/types.js';

/** Fills Drone's defaults: empty kind means `pipeline`, empty type means `docker`. */
export function normaliseFilter(input: Partial<Filter> | undefined): Filter {
  const labels = input?.labels && typeof input.labels === 'object' ? input.labels : {};
  return {
    kind: str(input?.kind) || 'pipeline',
    type: str(input?.type) || 'docker',
    os: str(input?.os),
    arch: str(input?.arch),
    variant: str(input?.variant),
    kernel: str(input?.kernel),
    labels: Object.keys(labels).length > 0 ? canonicalLabels(labels) : undefined,
  };
}

/** Labels with sorted keys and string values: their JSON is the canonical form Go's encoder writes. */
export function canonicalLabels(labels: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) out[key] = String(labels[key]);
  return out;
}

/** One key per distinct filter: waiters with equal filters share one reservation attempt per wake-up. */
export function filterKey(filter: Filter): string {
  return JSON.stringify([filter.kind, filter.type, filter.os, filter.arch, filter.variant, filter.kernel, filter.labels ?? {}]);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Whether a runner with this filter may take the stage (research/drone-server.md §3.2; the reservation's SQL says the same). */
export function filterMatches(filter: Filter, stage: Pick<Stage, 'kind' | 'type' | 'os' | 'arch' | 'variant' | 'kernel' | 'labels'>): boolean {
  if ((stage.kind || 'pipeline') !== filter.kind || (stage.type || 'docker') !== filter.type) return false;
  if (filter.os || filter.arch || filter.variant || filter.kernel) {
    if (stage.os !== filter.os || stage.arch !== filter.arch) return false;
    if (stage.variant && stage.variant !== filter.variant) return false;
    if (stage.kernel && stage.kernel !== filter.kernel) return false;
  }
  return JSON.stringify(canonicalLabels(stage.labels ?? {})) === JSON.stringify(filter.labels ?? {});
}
