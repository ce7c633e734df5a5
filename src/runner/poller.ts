// The runner's workers (runner-go's poller, research/drone-runner.md §1.6): DRONE_RUNNER_CAPACITY loops,
// each asking the server for a stage and running it to its end before asking again.

import type { Logger } from 'pino';
import type { Filter, Stage } from '../core/types.js';
import { type RpcClient, sleep } from './client.js';

export interface StageDispatcher {
  /** Runs an offered stage to its end; `shutdown` aborts when the runner stops for good. */
  run(offered: Stage, shutdown: AbortSignal): Promise<void>;
}

/** Pings the server every second until it answers (as runner-go's daemon does); false if `signal` aborts first. */
export async function waitForServer(client: RpcClient, signal: AbortSignal, log: Logger): Promise<boolean> {
  for (;;) {
    try {
      await client.ping(signal);
      return true;
    } catch (err) {
      if (signal.aborted) return false;
      log.warn({ err: (err as Error).message }, 'cannot ping the server, retrying');
      if (!(await sleep(1000, signal))) return false;
    }
  }
}

export class Poller {
  private readonly polling = new AbortController();
  private readonly shutdown = new AbortController();
  private workers: Promise<void>[] = [];

  constructor(
    private readonly client: RpcClient,
    private readonly dispatcher: StageDispatcher,
    private readonly filter: Filter,
    private readonly log: Logger,
  ) {}

  start(capacity: number): void {
    if (this.polling.signal.aborted) return;
    this.workers = Array.from({ length: capacity }, (_, index) => this.work(index));
  }

  /** Stops asking for work; running stages finish, unless `graceMs` passes first (then they are cancelled). */
  async stop(graceMs: number): Promise<void> {
    this.polling.abort();
    const timer = setTimeout(() => this.shutdown.abort(), graceMs);
    await Promise.all(this.workers);
    clearTimeout(timer);
  }

  private async work(index: number): Promise<void> {
    const signal = this.polling.signal;
    while (!signal.aborted) {
      try {
        const stage = await this.client.request(this.filter, signal);
        if (!stage) continue;
        await this.dispatcher.run(stage, this.shutdown.signal);
      } catch (err) {
        if (signal.aborted) break;
        this.log.error({ err, worker: index }, 'runner error');
        // runner-go polls again at once after an error; a pause keeps a broken server from a hot loop.
        await sleep(this.client.retryPolicy.retryMaxMs, signal);
      }
    }
  }
}
