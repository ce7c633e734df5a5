// What the server does with a configuration before creating a build (drone-server.md §7.2 steps 7–16):
// convert (jsonnet), parse (every document needs a kind), lint the manifest, match each pipeline's
// `trigger`, and turn the matched pipelines into stages whose dependencies skip over unmatched pipelines.

import type { NewStage } from '../core/store.js';
import { checkedManifest } from './checked-manifest.js';
import { globMatch } from './conditions/glob.js';
import { stageRunFlags, triggerMatches } from './conditions/match.js';
import { convertJsonnet } from './convert/jsonnet.js';
import { convertStarlark, STARLARK_PATH, type StarlarkInput } from './convert/starlark.js';
import { convertTemplate, isTemplateConfig, type TemplateLookup } from './convert/template.js';
import { checkSize, DEFAULT_MAX_CONFIG_SIZE } from './limits.js';
import { formatConfigError } from './internal/position.js';
import type { Pipeline } from './manifest/types.js';

export interface TriggerContext {
  /** push, pull_request, tag, promote, rollback, cron, custom */
  event: string;
  action: string;
  /** The build's target branch. */
  branch: string;
  /** e.g. refs/heads/main */
  ref: string;
  /** Repository slug owner/name. */
  repo: string;
  /** Deploy target (promote/rollback), '' otherwise. */
  target: string;
  /** Cron job name, '' otherwise. */
  cron: string;
  /** Only pipelines whose trigger names the action match (a closed pull request builds only where asked). */
  explicitAction?: boolean;
}

/** A stage to create: the store's NewStage, never blocked (approval is decided by the server). */
export interface StagePlan extends Omit<NewStage, 'status'> {
  status: 'pending' | 'waiting_on_dependencies';
}

export type PlanResult = { ok: true; stages: StagePlan[]; config: string } | { ok: false; error: string };

export interface PlanInput {
  /** The repository's configuration path, e.g. .drone.yml or .drone.jsonnet. */
  path: string;
  /** The file's contents. */
  data: string;
  trusted: boolean;
  trigger: TriggerContext;
  /** Size limit in bytes, default 2 MiB. */
  maxSize?: number;
  /** Jsonnet conversion and Drone's build.* / repo.* external variables. */
  jsonnet?: { enabled: boolean; vars: Record<string, string> };
  /** Stored templates of the repository's namespace, for `kind: template` configurations. */
  templates?: TemplateLookup;
  /** Starlark conversion of .star/.starlark/.script paths, with the ctx Drone passes to main(ctx). */
  starlark?: StarlarkInput;
}

function namesAction(pipeline: Pipeline, action: string): boolean {
  return pipeline.trigger.action.include.some((pattern) => globMatch(pattern, action));
}

export async function planBuild(input: PlanInput): Promise<PlanResult> {
  const sizeError = checkSize(input.data, input.maxSize ?? DEFAULT_MAX_CONFIG_SIZE);
  if (sizeError) return { ok: false, error: sizeError };

  const converted = await convert(input);
  if (!converted.ok) return converted;
  const config = converted.yaml;
  const convertedSizeError = checkSize(config, input.maxSize ?? DEFAULT_MAX_CONFIG_SIZE);
  if (convertedSizeError) return { ok: false, error: `converted configuration: ${convertedSizeError}` };

  const { parsed, lintErrors } = checkedManifest(config);
  if (!parsed.ok) {
    const hint = disabledConversionHint(input);
    return { ok: false, error: formatConfigError(parsed.errors[0]) + hint };
  }
  const { pipelines, templates } = parsed.manifest;
  if (templates.length > 0) {
    return { ok: false, error: 'kind: template: only a .yml configuration that starts with `kind: template` loads a template' };
  }
  if (lintErrors.length > 0) return { ok: false, error: formatConfigError(lintErrors[0]) };

  const matched = pipelines.filter((p) => triggerMatches(p.trigger, input.trigger) && (!input.trigger.explicitAction || namesAction(p, input.trigger.action)));
  const graph = new PipelineGraph(pipelines, new Set(matched));
  if (graph.hasCycle()) return { ok: false, error: 'Error: Dependency cycle detected in Pipeline' };
  return { ok: true, config, stages: matched.map((p) => stageOf(p, graph)) };
}

function disabledConversionHint(input: PlanInput): string {
  if (input.path.endsWith('.jsonnet') && !input.jsonnet?.enabled) return ' (jsonnet conversion is disabled, so the file was read as YAML)';
  if (STARLARK_PATH.test(input.path) && !input.starlark?.enabled) return ' (starlark conversion is disabled, so the file was read as YAML)';
  return '';
}

async function convert(input: PlanInput): Promise<{ ok: true; yaml: string } | { ok: false; error: string }> {
  if (STARLARK_PATH.test(input.path) && input.starlark?.enabled) {
    return convertStarlark(input.data, input.path, input.starlark);
  }
  if (input.path.endsWith('.jsonnet') && input.jsonnet?.enabled) {
    return convertJsonnet(input.data, input.path, input.jsonnet.vars);
  }
  if (input.templates && isTemplateConfig(input.path, input.data)) {
    return convertTemplate(input.data, input.templates, input.jsonnet?.vars ?? {}, input.starlark);
  }
  return { ok: true, yaml: input.data };
}

function stageOf(pipeline: Pipeline, graph: PipelineGraph): StagePlan {
  const name = pipeline.name || 'default';
  const dependsOn = graph.dependencies(name);
  return {
    name,
    kind: pipeline.kind,
    type: pipeline.kind === 'pipeline' && pipeline.type === '' ? 'docker' : pipeline.type,
    os: pipeline.platform.os || 'linux',
    arch: pipeline.platform.arch || 'amd64',
    variant: pipeline.platform.variant,
    kernel: pipeline.platform.version,
    limit: pipeline.concurrency.limit,
    labels: { ...pipeline.node },
    depends_on: dependsOn,
    ...stageRunFlags(pipeline.trigger.status),
    status: dependsOn.length === 0 ? 'pending' : 'waiting_on_dependencies',
  };
}

/**
 * Drone's pipeline DAG (trigger/dag): vertices keyed by the pipeline's name as written (an unnamed
 * pipeline is keyed "" although its stage is called "default", so its own dependencies are not found —
 * a Drone quirk we keep), unmatched vertices skipped.
 */
class PipelineGraph {
  private readonly vertices = new Map<string, { deps: string[]; skip: boolean }>();

  constructor(pipelines: Pipeline[], matched: Set<Pipeline>) {
    for (const p of pipelines) this.vertices.set(p.name, { deps: p.depends_on, skip: !matched.has(p) });
  }

  /** Effective dependencies: a skipped dependency is replaced by its own effective dependencies. */
  dependencies(name: string): string[] {
    const vertex = this.vertices.get(name);
    if (!vertex) return [];
    return this.resolve(vertex.deps, new Set([name]));
  }

  private resolve(deps: string[], path: Set<string>): string[] {
    const out: string[] = [];
    for (const dep of deps) {
      const vertex = this.vertices.get(dep);
      if (!vertex || path.has(dep)) continue;
      if (!vertex.skip) {
        out.push(dep);
        continue;
      }
      path.add(dep);
      out.push(...this.resolve(vertex.deps, path));
      path.delete(dep);
    }
    return out;
  }

  hasCycle(): boolean {
    const state = new Map<string, 'visiting' | 'done'>();
    for (const start of this.vertices.keys()) {
      if (state.has(start)) continue;
      const stack: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
      state.set(start, 'visiting');
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        const deps = this.vertices.get(top.name)?.deps ?? [];
        if (top.next >= deps.length) {
          state.set(top.name, 'done');
          stack.pop();
          continue;
        }
        const dep = deps[top.next++];
        const s = state.get(dep);
        if (s === 'visiting') return true;
        if (s === undefined && this.vertices.has(dep)) {
          state.set(dep, 'visiting');
          stack.push({ name: dep, next: 0 });
        }
      }
    }
    return false;
  }
}
