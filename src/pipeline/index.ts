// The `.drone.yml` language: one module for the server's trigger (planBuild), the runners
// (compileExecStage, compileDockerStage, stepEnviron), `hangar lint` (lintConfig) and `hangar exec`.

export { planBuild } from './plan.js';
export { isInsideRepository } from './config-path.js';
export type { PlanInput, PlanResult, StagePlan, TriggerContext } from './plan.js';
export { compileExecStage } from './exec-stage.js';
export type { ExecStageInput, ExecStageResult } from './exec-stage.js';
export { stepEnviron } from './environ/variables.js';
export { DEFAULT_MAX_CONFIG_SIZE } from './limits.js';
export { ErrPolicy, RunPolicy } from './spec.js';
export type { ExecSpec, ExecStep, SpecFile, SpecLink, SpecSecret } from './spec.js';
export type { ConfigError, Position } from './internal/position.js';
export { formatConfigError } from './internal/position.js';
export { compileDockerStage } from './docker-stage.js';
export type { DockerStageInput, DockerStageResult } from './docker-stage.js';
export type { DockerRunnerOptions } from './compile/docker.js';
export type * from './docker-spec.js';
export { lintConfig } from './lint/index.js';
export type { LintOptions } from './lint/index.js';
export type { TemplateLookup } from './convert/template.js';
export { signConfig, signatureOf, verifySignature } from './signature.js';
export { decryptSecret, encryptSecret } from './compile/secrets.js';
export { listPipelines } from './list.js';
export type { PipelineSummary } from './list.js';
