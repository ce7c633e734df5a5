// Runner filters (research/drone-server.md §3.2): normalised so that equal filters share one waiter group.

import type { Filter } from '../core/types.js';

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
