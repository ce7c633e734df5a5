// The state of one stage while a runner executes it (runner-go's pipeline/state.go, research/drone-runner.md
// §1.9): step transitions, and the stage and build statuses they imply. `DRONE_BUILD_STATUS` and
// `DRONE_FAILED_STEPS` are computed from it at each step's start.

import type { Build, Stage, Step } from '../core/types.js';

const now = (): number => Math.floor(Date.now() / 1000);

export class StageState {
  constructor(
    readonly build: Build,
    readonly stage: Stage,
  ) {
    stage.steps ??= [];
  }

  get steps(): Step[] {
    return this.stage.steps as Step[];
  }

  find(name: string): Step {
    const step = this.steps.find((s) => s.name === name);
    if (!step) throw new Error(`no step named ${name}`);
    return step;
  }

  /** pending → running. */
  start(name: string): void {
    const step = this.find(name);
    if (step.status !== 'pending') return;
    step.status = 'running';
    step.started = now();
    step.stopped = 0;
    step.exit_code = 0;
    step.error = '';
    this.update();
  }

  /** running/pending → success (exit 0 or 78) or failure. */
  finish(name: string, exitCode: number): void {
    const step = this.find(name);
    if (step.status !== 'running' && step.status !== 'pending') return;
    step.status = exitCode === 0 || exitCode === 78 ? 'success' : 'failure';
    step.exit_code = exitCode;
    step.stopped = now();
    step.started ||= step.stopped;
    this.update();
  }

  /** pending → skipped. */
  skip(name: string): void {
    const step = this.find(name);
    if (step.status !== 'pending') return;
    step.status = 'skipped';
    step.started = now();
    step.stopped = step.started;
    step.exit_code = 0;
    this.update();
  }

  /** Any state → error (an engine failure, not the step's own exit). */
  fail(name: string, message: string): void {
    const step = this.find(name);
    step.status = 'error';
    step.error = message.slice(0, 500);
    step.exit_code = 255;
    step.stopped = now();
    step.started ||= step.stopped;
    this.update();
  }

  /** Cancel or timeout: pending steps skipped, running steps killed, the stage killed. */
  cancel(): void {
    for (const step of this.steps) {
      if (step.status === 'pending') this.skip(step.name);
    }
    for (const step of this.steps) {
      if (step.status === 'running') {
        step.status = 'killed';
        step.exit_code = 137;
        step.error = '';
        step.stopped = now();
        step.started ||= step.stopped;
      }
    }
    this.stage.status = 'killed';
    this.stage.error = '';
    this.stage.exit_code = 0;
    this.stage.stopped = now();
    this.stage.started ||= this.stage.stopped;
    this.update();
  }

  /** Exit code 78: every step still pending is skipped (reported with the stage). */
  skipAll(): void {
    for (const step of this.steps) if (step.status === 'pending') this.skip(step.name);
  }

  /** The stage cannot run at all (configuration, permissions, setup). */
  failAll(message: string): void {
    if (this.stage.status === 'pending' || this.stage.status === 'running') {
      this.stage.status = 'error';
      this.stage.error = message.slice(0, 500);
      this.stage.exit_code = 255;
      this.stage.stopped = now();
      this.stage.started ||= this.stage.stopped;
    }
    for (const step of this.steps) if (step.status === 'pending') this.skip(step.name);
    this.build.status = 'error';
  }

  /** The end: pending steps skipped, detached steps finished, the stage success or failure. */
  finishAll(): void {
    for (const step of this.steps) {
      if (step.status === 'pending') this.skip(step.name);
      else if (step.status === 'running') this.finish(step.name, 0);
    }
    if (this.stage.status === 'pending' || this.stage.status === 'running') {
      this.stage.stopped = now();
      this.stage.status = this.failed() ? 'failure' : 'success';
    } else {
      this.stage.started ||= now();
      this.stage.stopped ||= now();
    }
  }

  /** The stage failed, or any step that does not ignore failures failed. */
  failed(): boolean {
    if (this.stage.status === 'failure' || this.stage.status === 'error' || this.stage.status === 'killed') return true;
    return this.steps.some((step) => !step.errignore && (step.status === 'failure' || step.status === 'error' || step.status === 'killed'));
  }

  cancelled(): boolean {
    return this.stage.status === 'killed';
  }

  /** The first killed, errored, or failing (non-ignored) step decides the stage's and the build's status. */
  private update(): void {
    for (const step of this.steps) {
      if (step.status === 'killed') {
        this.stage.status = 'killed';
        this.stage.exit_code = 137;
        this.build.status = 'killed';
        return;
      }
      if (step.status === 'error') {
        this.stage.status = 'error';
        this.stage.exit_code = 255;
        this.stage.error = step.error;
        this.build.status = 'error';
        return;
      }
      if (step.status === 'failure' && !step.errignore) {
        this.stage.status = 'failure';
        this.build.status = 'failure';
        return;
      }
    }
  }
}
