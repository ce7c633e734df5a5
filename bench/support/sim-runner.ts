// Simulated runners: RPC clients that long-poll, accept and finish a stage at once, speaking the protocol
// through the real runner client (src/runner/client.ts). `stock` follows runner-go's rules (10 s sleep
// after a 204 or an error); `hangar` is Hangar's runner (re-poll at once, back off from 250 ms).

import { setMaxListeners } from 'node:events';
import { HANGAR_RETRY, OptimisticLockError, RUNNER_GO_RETRY, RpcClient } from '../../src/runner/client.js';
import type { Filter, Line, Stage } from '../../src/core/types.js';

export type RunnerBehaviour = 'stock' | 'hangar';

export const EXEC_FILTER: Filter = { kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '' };

export interface Accepted {
  stage: Stage;
  /** performance.now() when the accept answered. */
  at: number;
}

export interface SimRunnerOptions {
  address: string;
  secret: string;
  behaviour: RunnerBehaviour;
  /** `finish`: run the stage to success at once; `hold`: accept and keep it (for reserve+accept rates). */
  mode?: 'finish' | 'hold';
  /** Lines the stage's one step writes (one batch, then the upload) before it finishes. */
  logLines?: number;
  onAccepted(accepted: Accepted): void;
  onFinished?(stage: Stage): void;
}

export class SimRunners {
  private readonly clients: RpcClient[] = [];
  private readonly abort = new AbortController();
  private readonly loops: Array<Promise<void>> = [];
  /** Errors other than a lost accept race or a stop, as text: a benchmark reports them. */
  readonly errors: string[] = [];
  /** The longest a runner spent reporting one stage (details to finish): a stall on a dead server shows here. */
  longestFinishMs = 0;
  /** Accepts lost to another runner (409): the price of several runners being offered one stage. */
  conflicts = 0;

  constructor(
    count: number,
    private readonly options: SimRunnerOptions,
  ) {
    // Every runner's requests listen on the one stop signal: many listeners are expected, not a leak.
    setMaxListeners(0, this.abort.signal);
    for (let i = 0; i < count; i++) {
      this.clients.push(new RpcClient({ address: options.address, secret: options.secret, retry: options.behaviour === 'stock' ? RUNNER_GO_RETRY : HANGAR_RETRY }));
    }
  }

  start(): void {
    this.clients.forEach((client, index) => this.loops.push(this.loop(client, index)));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    for (const client of this.clients) client.close();
  }

  private async loop(client: RpcClient, index: number): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        const offered = await client.request(EXEC_FILTER, signal);
        if (!offered) return;
        const stage = await client.accept(offered.id, `sim-${index}`, signal);
        this.options.onAccepted({ stage, at: performance.now() });
        if (this.options.mode === 'hold') continue;
        const started = performance.now();
        await this.finish(client, stage, signal);
        this.longestFinishMs = Math.max(this.longestFinishMs, performance.now() - started);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof OptimisticLockError) {
          this.conflicts++;
          continue;
        }
        this.errors.push((err as Error).message);
      }
    }
  }

  /** What a stock runner reports for a one-step stage that succeeds at once. */
  private async finish(client: RpcClient, accepted: Stage, signal: AbortSignal): Promise<void> {
    await client.details(accepted.id, signal);
    const running = await reportRunning(client, accepted, ['noop'], signal);
    const step = running.steps?.[0];
    if (step && this.options.logLines) {
      const lines: Line[] = Array.from({ length: this.options.logLines }, (_, pos) => ({ pos, out: `line ${pos}\n`, time: 0 }));
      await client.batch(step.id, lines);
      await client.upload(step.id, lines, signal);
    }
    // Not `onFinished?.(await …)`: an optional call skips its arguments when there is no callback.
    const finished = await reportSuccess(client, running, signal);
    this.options.onFinished?.(finished);
  }

  /** Finishes stages accepted in `hold` mode, `concurrency` at a time. */
  async finishHeld(stages: Stage[], concurrency = 8): Promise<void> {
    let next = 0;
    const client = this.clients[0];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < stages.length) await this.finish(client, stages[next++], new AbortController().signal).catch((err: Error) => this.errors.push(err.message));
      }),
    );
  }
}

/** A stage reported running with one running step per name, as a runner does; the answer carries step ids. */
export function reportRunning(client: RpcClient, accepted: Stage, stepNames: string[], signal?: AbortSignal): Promise<Stage> {
  const started = Math.floor(Date.now() / 1000);
  const steps = stepNames.map((name, i) => ({ id: 0, step_id: accepted.id, number: i + 1, name, status: 'running' as const, exit_code: 0, started, version: 0 }));
  return client.updateStage({ ...accepted, status: 'running', started, steps }, signal);
}

/** A running stage and all its steps reported successful. */
export function reportSuccess(client: RpcClient, running: Stage, signal?: AbortSignal): Promise<Stage> {
  const stopped = Math.floor(Date.now() / 1000);
  const steps = running.steps?.map((step) => ({ ...step, status: 'success' as const, stopped, exit_code: 0 }));
  return client.updateStage({ ...running, status: 'success', stopped, exit_code: 0, steps }, signal);
}

/** Stock runners at the load balancer that note when each build's stage was accepted and which builds finished. */
export function trackedRunners(setup: { balanced: string; rpcSecret: string }, count: number): { runners: SimRunners; accepts: Map<number, number>; finished: Set<number> } {
  const accepts = new Map<number, number>();
  const finished = new Set<number>();
  const runners = new SimRunners(count, {
    address: setup.balanced,
    secret: setup.rpcSecret,
    behaviour: 'stock',
    onAccepted: (a) => accepts.set(a.stage.build_id, a.at),
    onFinished: (stage) => finished.add(stage.build_id),
  });
  return { runners, accepts, finished };
}
