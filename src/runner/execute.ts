// Running a compiled stage (runner-go's execer, research/drone-runner.md §1.8): the steps form a graph by
// `depends_on`; every step whose dependencies are done starts at once (up to DRONE_RUNNER_MAX_PROCS).
// Run policies decide whether a step runs, is skipped, or is not reported at all; exit code 78 skips what
// is still pending; a fail-fast step that fails cancels the rest. A failing step is not an error of the
// graph — only a failed report to the server stops scheduling. Detached steps run beside the others and
// are stopped once every other step is done (Drone's docker engine removes their containers then).

import type { Build, Stage, Step } from '../core/types.js';
import type { DockerErrPolicy, DockerRunPolicy } from '../pipeline/docker-spec.js';
import { ErrPolicy, RunPolicy } from '../pipeline/spec.js';
import type { PlannedStep, StepResult } from './engine.js';
import type { StageState } from './state.js';

export interface StepRunner<S extends PlannedStep> {
  /** Runs a step with its environment; `output` receives its text. */
  run(step: S, output: (text: string) => void, signal: AbortSignal): Promise<StepResult>;
}

export interface StepLog {
  write(text: string): void;
  /** Final flush and upload. */
  close(): Promise<void>;
}

export interface ExecuteDeps<S extends PlannedStep> {
  engine: StepRunner<S>;
  state: StageState;
  /** Reports a step's state to the server (PUT step). */
  report(step: Step): Promise<void>;
  /** The live log of a reported step. */
  openLog(step: Step): StepLog;
  /** The variables recomputed at each step's start (DRONE_BUILD_STATUS, DRONE_FAILED_STEPS, ...). */
  stepEnviron(state: { build: Build; stage: Stage; step: { name: string; number: number } }): Record<string, string>;
  maxProcs: number;
  /** Aborted on cancel or timeout. */
  signal: AbortSignal;
}

/** What every step of one execution shares. */
interface Execution<S extends PlannedStep> {
  deps: ExecuteDeps<S>;
  /** Cancel, timeout or fail-fast. */
  stop: AbortSignal;
  failFast: AbortController;
  /** Stops detached steps: `stop`, or the end of every other step. */
  detachedStop: AbortSignal;
  limiter: Semaphore;
  detached: Promise<void>[];
}

export async function executeSpec<S extends PlannedStep>(spec: { steps: S[] }, deps: ExecuteDeps<S>): Promise<void> {
  const failFast = new AbortController();
  const stop = AbortSignal.any([deps.signal, failFast.signal]);
  const mainDone = new AbortController();
  const execution: Execution<S> = {
    deps,
    stop,
    failFast,
    detachedStop: AbortSignal.any([stop, mainDone.signal]),
    limiter: new Semaphore(deps.maxProcs),
    detached: [],
  };
  const byName = new Map(spec.steps.map((step) => [step.name, step]));
  const children = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const step of spec.steps) {
    const deps_ = (step.depends_on ?? []).filter((name) => byName.has(name));
    waiting.set(step.name, deps_.length);
    for (const name of deps_) children.set(name, [...(children.get(name) ?? []), step.name]);
  }

  let halted: Error | undefined;
  const running = new Set<Promise<void>>();
  const launch = (step: S) => {
    const task = runStep(step, execution)
      .catch((err: Error) => {
        halted ??= err;
      })
      .then(() => {
        running.delete(task);
        if (halted) return;
        for (const child of children.get(step.name) ?? []) {
          const left = (waiting.get(child) ?? 1) - 1;
          waiting.set(child, left);
          if (left === 0) launch(byName.get(child) as S);
        }
      });
    running.add(task);
  };
  for (const step of spec.steps) if (waiting.get(step.name) === 0) launch(step);
  while (running.size > 0) await Promise.race(running);
  mainDone.abort();
  await Promise.all(execution.detached);
  if (halted && !deps.state.failed()) deps.state.failAll(halted.message);
}

async function runStep<S extends PlannedStep>(spec: S, execution: Execution<S>): Promise<void> {
  const { deps, stop, limiter, detached, failFast } = execution;
  const { state } = deps;
  if (stop.aborted) return state.cancel();
  const policy = runPolicyOf(spec.run_policy);
  if (policy === RunPolicy.Never) return;
  const release = await limiter.acquire(stop);
  if (!release) return state.cancel();
  try {
    if (state.cancelled()) return;
    const step = state.find(spec.name);
    if (policy === RunPolicy.OnFailure && !state.failed()) return await skip(step, deps);
    if (policy === RunPolicy.OnSuccess && state.failed()) return await skip(step, deps);
    if (policy !== RunPolicy.Always && step.status !== 'pending') return;

    state.start(step.name);
    await deps.report(step);
    const environment = { ...(spec.environment ?? {}), ...deps.stepEnviron({ build: state.build, stage: state.stage, step }) };
    const log = deps.openLog(step);
    const output = (text: string) => log.write(text);
    if (spec.detach) {
      // A detached step runs beside the others; FinishAll marks it done, whatever its exit code.
      const closeLog = () => log.close().catch(() => undefined);
      detached.push(deps.engine.run({ ...spec, environment }, output, execution.detachedStop).then(closeLog, closeLog));
      return;
    }
    let result: StepResult;
    try {
      result = await deps.engine.run({ ...spec, environment }, output, stop);
    } catch (err) {
      await log.close().catch(() => undefined);
      state.fail(step.name, (err as Error).message);
      await deps.report(step);
      return;
    }
    await log.close().catch(() => undefined);
    if (result.killed || stop.aborted) {
      if (deps.signal.aborted || failFast.signal.aborted) state.cancel();
      return;
    }
    state.finish(step.name, result.exitCode);
    await deps.report(step);
    if (result.exitCode === 78) state.skipAll();
    if (errPolicyOf(spec.err_policy) === ErrPolicy.FailFast && result.exitCode > 0 && result.exitCode !== 78) failFast.abort();
  } finally {
    release();
  }
}

async function skip<S extends PlannedStep>(step: Step, deps: ExecuteDeps<S>): Promise<void> {
  deps.state.skip(step.name);
  await deps.report(step);
}

const RUN_POLICIES: Record<DockerRunPolicy, RunPolicy> = {
  'on-success': RunPolicy.OnSuccess,
  'on-failure': RunPolicy.OnFailure,
  always: RunPolicy.Always,
  never: RunPolicy.Never,
};
const ERR_POLICIES: Record<DockerErrPolicy, ErrPolicy> = { fail: ErrPolicy.Fail, 'fail-fast': ErrPolicy.FailFast, ignore: ErrPolicy.Ignore };

/** Exec plans number their policies, docker plans name them. */
export function runPolicyOf(policy: PlannedStep['run_policy']): RunPolicy {
  return typeof policy === 'string' ? RUN_POLICIES[policy] : (policy ?? RunPolicy.OnSuccess);
}

export function errPolicyOf(policy: PlannedStep['err_policy']): ErrPolicy {
  return typeof policy === 'string' ? ERR_POLICIES[policy] : (policy ?? ErrPolicy.Fail);
}

/** At most `limit` holders at once; 0 means no limit. */
class Semaphore {
  private holders = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Resolves a release function, or undefined when `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<(() => void) | undefined> {
    const release = () => {
      this.holders -= 1;
      this.queue.shift()?.();
    };
    if (this.limit <= 0 || this.holders < this.limit) {
      this.holders += 1;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => {
      const onAbort = () => {
        const index = this.queue.indexOf(grant);
        if (index >= 0) this.queue.splice(index, 1);
        resolve(undefined);
      };
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.holders += 1;
        resolve(release);
      };
      this.queue.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
