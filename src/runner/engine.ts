// The engine port (runner-go's runtime.Engine, research/drone-runner.md §1.7–1.8, §6.11–6.12): a pipeline
// type's driver compiles a stage's configuration into a plan, and the plan runs through its engine —
// setup, run each step (its output streamed as it comes), destroy. The stage runner, the step graph, the
// log writer, masking, cancel and the RPC client are shared; `engines/exec` and `engines/docker` are the
// two implementations.

import type { StageDetails } from '../core/types.js';
import type { DockerErrPolicy, DockerRunPolicy } from '../pipeline/docker-spec.js';
import type { ErrPolicy, RunPolicy } from '../pipeline/spec.js';

export interface StepResult {
  exitCode: number;
  /** The step was stopped by cancel or timeout. */
  killed: boolean;
  /** The kernel killed it for memory (exit code 137). */
  oomKilled?: boolean;
}

/** What the step graph needs of a compiled step, whichever engine runs it. */
export interface PlannedStep {
  name: string;
  depends_on?: string[];
  detach?: boolean;
  /** Numeric in exec plans, a name in docker plans (as each runner's spec JSON has it). */
  run_policy?: RunPolicy | DockerRunPolicy;
  err_policy?: ErrPolicy | DockerErrPolicy;
  environment?: Record<string, string>;
  secrets: Array<{ data: string; mask: boolean }>;
}

/** One compiled stage bound to the engine that runs it. */
export interface CompiledStage<S extends PlannedStep = PlannedStep> {
  steps: S[];
  /** Creates what every step shares (directories; a network and volumes). */
  setup(signal: AbortSignal): Promise<void>;
  /** Runs one step with its final environment; `output` receives its stdout and stderr as they come. */
  run(step: S, output: (text: string) => void, signal: AbortSignal): Promise<StepResult>;
  /** Removes everything the stage created; never throws. */
  destroy(): Promise<void>;
}

export type CompileOutcome = { ok: true; stage: CompiledStage } | { ok: false; error: string };

/** A pipeline type the runner can run: what it asks the server for, and how it compiles a stage. */
export interface PipelineDriver {
  /** The stage type in the runner's filter (`exec`, `docker`). */
  readonly type: string;
  compile(details: StageDetails): Promise<CompileOutcome>;
  /** Work before polling (the docker runner's engine check and sweep); `signal` aborts when the runner stops. */
  start?(signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

/** The values every step's log masks. */
export function maskedValues(steps: PlannedStep[]): string[] {
  return steps.flatMap((step) => step.secrets.filter((s) => s.mask).map((s) => s.data));
}
