// One stage, start to end (runner-go's Runner.Run, research/drone-runner.md §1.7): accept (409 → another
// runner won, drop it), fetch the details, watch for cancel, apply the DRONE_LIMIT_* rules, compile,
// report the steps, run them through the pipeline type's engine, report the end. Cancel (a watch answering
// 200), the repository timeout and the runner's shutdown stop the running steps.

import type { Logger } from 'pino';
import type { RunnerConfig } from '../config/runner.js';
import type { Stage, StageDetails, Step } from '../core/types.js';
import { stepEnviron } from '../pipeline/index.js';
import { OptimisticLockError, type RpcClient } from './client.js';
import { type CompiledStage, maskedValues, type PipelineDriver } from './engine.js';
import { ExecDriver } from './engines/exec/driver.js';
import { executeSpec } from './execute.js';
import { matchesLimits } from './limits.js';
import { LogWriter } from './livelog.js';
import { Masker } from './mask.js';
import type { StageDispatcher } from './poller.js';
import { reportedSteps } from './reported-steps.js';
import { StageState } from './state.js';

export type StageRunnerConfig = Pick<RunnerConfig, 'name' | 'root' | 'maxProcs' | 'environ' | 'symlinks' | 'limits' | 'logFlushMs'>;

export class StageRunner implements StageDispatcher {
  constructor(
    private readonly client: RpcClient,
    private readonly config: StageRunnerConfig,
    private readonly log: Logger,
    private readonly driver: PipelineDriver = new ExecDriver(config),
  ) {}

  /** Runs a stage offered by the server. `shutdown` aborts it (the runner is stopping for good). */
  async run(offered: Stage, shutdown: AbortSignal): Promise<void> {
    try {
      await this.client.accept(offered.id, this.config.name);
    } catch (err) {
      if (err instanceof OptimisticLockError) return this.log.debug({ stage: offered.id }, 'stage taken by another runner');
      throw err;
    }
    const details = await this.client.details(offered.id);
    const log = this.log.child({ repo: details.repository.slug, build: details.build.number, stage: details.stage.name });
    log.info('stage accepted');

    const cancel = new AbortController();
    const done = new AbortController();
    const stop = AbortSignal.any([cancel.signal, shutdown]);
    const timeout = setTimeout(() => cancel.abort(), stageTimeoutMs(details.repository.timeout));
    this.client.watch(details.build.id, done.signal).then(
      (cancelled) => {
        if (cancelled) {
          log.info('build cancelled');
          cancel.abort();
        }
      },
      (err: unknown) => log.warn({ err }, 'cannot watch the build for cancel'),
    );
    const state = new StageState(details.build, { ...details.stage, steps: [] });
    try {
      await this.runStage(details, state, stop, log);
    } finally {
      clearTimeout(timeout);
      done.abort();
    }
  }

  private async runStage(details: StageDetails, state: StageState, stop: AbortSignal, log: Logger): Promise<void> {
    if (!matchesLimits(this.config.limits, details)) return this.failStage(state, 'insufficient permission to run the pipeline', log);
    const compiled = await this.driver.compile(details);
    if (!compiled.ok) return this.failStage(state, compiled.error, log);
    try {
      await this.execute(compiled.stage, state, stop, log);
    } finally {
      await compiled.stage.destroy();
    }
  }

  private async execute(compiled: CompiledStage, state: StageState, stop: AbortSignal, log: Logger): Promise<void> {
    state.stage.steps = reportedSteps(compiled, state.stage.id);
    state.stage.status = 'running';
    state.stage.started = Math.floor(Date.now() / 1000);
    // runner-go gives up here when the server refuses (the server's lease expiry ends the stage).
    mergeStage(state.stage, await this.client.updateStage(state.stage));

    try {
      await compiled.setup(stop);
      const masker = new Masker(maskedValues(compiled.steps));
      await executeSpec(compiled, {
        engine: compiled,
        state,
        maxProcs: this.config.maxProcs,
        signal: stop,
        stepEnviron,
        report: async (step) => mergeStep(step, await this.client.updateStep(step)),
        openLog: (step) =>
          new LogWriter(
            { batch: (lines) => this.client.batch(step.id, lines), upload: (lines) => this.client.upload(step.id, lines) },
            masker,
            { flushMs: this.config.logFlushMs },
          ),
      });
    } catch (err) {
      state.failAll((err as Error).message);
    }
    state.finishAll();
    try {
      mergeStage(state.stage, await this.client.updateStage(state.stage));
    } catch (err) {
      // The server already ended the stage (a cancel, or an expired lease): its word stands.
      if (err instanceof OptimisticLockError) return log.info({ status: state.stage.status }, 'stage already ended on the server');
      throw err;
    }
    log.info({ status: state.stage.status }, 'stage finished');
  }

  /** Nothing can run: the stage becomes an error with its message, reported at once. */
  private async failStage(state: StageState, message: string, log: Logger): Promise<void> {
    state.failAll(message);
    await this.client.updateStage(state.stage);
    log.warn({ error: message }, 'stage failed before running');
  }
}

/** The repository timeout (minutes; Drone's default 60), within what a Node timer can hold (~24 days). */
function stageTimeoutMs(minutes: number): number {
  return Math.min(Math.max(1, minutes || 60) * 60_000, 2 ** 31 - 1);
}

/** The server's answer carries ids and versions: merged back by step number, as runner-go does. */
function mergeStage(stage: Stage, stored: Stage): void {
  stage.version = stored.version;
  stage.updated = stored.updated;
  for (const step of stage.steps ?? []) {
    const match = stored.steps?.find((s) => s.number === step.number);
    if (!match) continue;
    step.id = match.id;
    step.step_id = match.step_id;
    step.version = match.version;
  }
}

function mergeStep(step: Step, stored: Step): void {
  step.version = stored.version;
}
