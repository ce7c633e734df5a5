// What the exec runner does with a stage's configuration (runner algorithm steps 5–12): substitute
// `${VAR}`, parse, lint every exec pipeline, find the one named like the stage (exact name, as the exec
// runner looks it up), and compile it.

import type { StageDetails } from '../core/types.js';
import { compileExec } from './compile/exec.js';
import { substituteConfig, SubstitutionError } from './envsubst/index.js';
import { substitutionEnviron } from './environ/variables.js';
import { formatConfigError, type ConfigError } from './internal/position.js';
import { checkSize, DEFAULT_MAX_CONFIG_SIZE } from './limits.js';
import { lintExecPipeline } from './lint/exec.js';
import { lintStepGraph } from './lint/graph.js';
import { parseManifest } from './manifest/parse.js';
import type { ExecSpec } from './spec.js';

export interface ExecStageInput {
  /** The YAML from details.config.Data (base64-decoded), before substitution. */
  config: string;
  details: StageDetails;
  /** The stage's private directory (the plan's root). */
  root: string;
  /** DRONE_RUNNER_ENVIRON and the like: lowest precedence. */
  environ: Record<string, string>;
  /** The runner process's own environment (PATH, USER, proxies...). */
  hostEnv: Record<string, string>;
  /** `hangar exec`: use this directory as the workspace... */
  workspace?: string;
  /** ...and add no clone step. */
  cloneDisabled?: boolean;
  /** `hangar exec --include/--exclude` step names. */
  include?: string[];
  exclude?: string[];
  /** DRONE_RUNNER_SYMLINKS: link source → target relative to the root. */
  symlinks?: Record<string, string>;
  /** Size limit in bytes, default 2 MiB. */
  maxSize?: number;
}

export type ExecStageResult = { ok: true; spec: ExecSpec } | { ok: false; error: string };

export function compileExecStage(input: ExecStageInput): ExecStageResult {
  const { details } = input;
  const sizeError = checkSize(input.config, input.maxSize ?? DEFAULT_MAX_CONFIG_SIZE);
  if (sizeError) return { ok: false, error: sizeError };

  let config: string;
  try {
    const vars = substitutionEnviron({
      environ: input.environ,
      system: details.system,
      repo: details.repository,
      build: details.build,
      stage: details.stage,
    });
    config = substituteConfig(input.config, vars);
  } catch (err) {
    if (err instanceof SubstitutionError) return { ok: false, error: `cannot substitute variables: ${err.message}` };
    throw err;
  }

  const parsed = parseManifest(config, 'exec');
  if (!parsed.ok) return failure(parsed.errors);
  const { pipelines, secrets } = parsed.manifest;
  const lintErrors = pipelines.flatMap(lintExecPipeline);
  if (lintErrors.length > 0) return failure(lintErrors);

  const pipeline = pipelines.find((p) => p.name === details.stage.name);
  if (!pipeline) return { ok: false, error: `no pipeline of type exec named "${details.stage.name}" in the configuration (resource not found)` };

  const spec = compileExec({
    pipeline,
    secretDocuments: secrets,
    repo: details.repository,
    build: details.build,
    stage: details.stage,
    system: details.system,
    netrc: details.netrc,
    serverSecrets: details.secrets ?? [],
    root: input.root,
    environ: input.environ,
    hostEnv: input.hostEnv,
    workspace: input.workspace,
    cloneDisabled: input.cloneDisabled,
    include: input.include,
    exclude: input.exclude,
    symlinks: input.symlinks,
  });
  const positions = new Map(pipeline.steps.map((s) => [s?.name, s?.keyPositions.depends_on ?? s?.position]));
  const graphErrors = lintStepGraph(spec.steps.map((s) => ({ ...s, position: positions.get(s.name) })));
  if (graphErrors.length > 0) return failure(graphErrors);
  return { ok: true, spec };
}

function failure(errors: ConfigError[]): ExecStageResult {
  return { ok: false, error: formatConfigError(errors[0]) };
}
