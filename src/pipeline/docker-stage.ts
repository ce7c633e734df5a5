// What the docker runner does with a stage's configuration: substitute `${VAR}`, parse (checking the steps
// of every docker pipeline), find the pipeline named like the stage ("" and "default" are the same name),
// lint it for the repository's trust level, and compile it.

import type { StageDetails } from '../core/types.js';
import { compileDocker, type DockerRunnerOptions } from './compile/docker.js';
import type { DockerSpec } from './docker-spec.js';
import { substituteConfig, SubstitutionError } from './envsubst/index.js';
import { substitutionEnviron } from './environ/variables.js';
import { formatConfigError, type ConfigError } from './internal/position.js';
import { checkSize, DEFAULT_MAX_CONFIG_SIZE } from './limits.js';
import { lintDockerParse, lintDockerPipeline } from './lint/docker.js';
import { lintStepGraph } from './lint/graph.js';
import { parseManifest } from './manifest/parse.js';

export interface DockerStageInput {
  config: string;
  details: StageDetails;
  /** DRONE_RUNNER_ENVIRON and the like: lowest precedence. */
  environ: Record<string, string>;
  /** The runner process's environment, for proxy variables. */
  hostEnv?: Record<string, string>;
  runner?: DockerRunnerOptions;
  /** `hangar exec` step filters (clone exempt). */
  include?: string[];
  exclude?: string[];
  maxSize?: number;
  /** Ids for containers, volumes and the network (default: drone- + 20 random characters). */
  randomId?: () => string;
}

export type DockerStageResult = { ok: true; spec: DockerSpec } | { ok: false; error: string };

export function compileDockerStage(input: DockerStageInput): DockerStageResult {
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

  const parsed = parseManifest(config, 'docker');
  if (!parsed.ok) return failure(parsed.errors);
  const { pipelines, secrets } = parsed.manifest;
  const parseErrors = pipelines.flatMap(lintDockerParse);
  if (parseErrors.length > 0) return failure(parseErrors);

  const pipeline = pipelines.find((p) => sameStageName(p.name, details.stage.name));
  if (!pipeline) return { ok: false, error: `no docker pipeline named "${details.stage.name}" in the configuration (resource not found)` };
  const lintErrors = lintDockerPipeline(pipeline, details.repository.trusted);
  if (lintErrors.length > 0) return failure(lintErrors);

  const spec = compileDocker({
    pipeline,
    secretDocuments: secrets,
    repo: details.repository,
    build: details.build,
    stage: details.stage,
    system: details.system,
    netrc: details.netrc,
    serverSecrets: details.secrets ?? [],
    environ: input.environ,
    hostEnv: input.hostEnv ?? {},
    runner: input.runner ?? {},
    randomId: input.randomId,
  });
  for (const step of spec.steps) {
    if (step.name === 'clone') continue;
    if (input.include && input.include.length > 0 && !input.include.includes(step.name)) step.run_policy = 'never';
    if (input.exclude?.includes(step.name)) step.run_policy = 'never';
  }
  const graphErrors = lintStepGraph(spec.steps);
  if (graphErrors.length > 0) return failure(graphErrors);
  return { ok: true, spec };
}

function sameStageName(a: string, b: string): boolean {
  return a === b || (a === '' && b === 'default') || (b === '' && a === 'default');
}

function failure(errors: ConfigError[]): DockerStageResult {
  return { ok: false, error: formatConfigError(errors[0]) };
}
