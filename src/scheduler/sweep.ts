// The periodic database sweep every server runs (DESIGN §3.1, §3.5, §3.2): it makes every lost message
// cost at most one interval. Each tick: retry parked polls, answer watches of done builds, write lease
// renewals, expire stages whose runner stopped showing signs of life, and reconcile builds.
//
// Leases run on the database's clock whether or not runners can reach it: after the database was lost (and
// when this server starts) expiry waits one lease, so the runners of healthy stages renew theirs first
// instead of failing as "runner lost" the moment the database is back.

import { TransientError } from '../core/errors.js';
import type { Leases, Transitions } from '../core/store.js';
import type { AfterCommit } from './after-commit.js';
import type { Dispatcher } from './dispatcher.js';
import type { LeaseRenewer } from './lease-renewer.js';
import type { WatchRegistry } from './watches.js';

export interface SweepDeps {
  leases: Leases;
  transitions: Transitions;
  dispatcher: Dispatcher;
  watches: WatchRegistry;
  renewer: LeaseRenewer;
  afterCommit: AfterCommit;
  onError: (err: unknown, task: string) => void;
  onExpired?: (stageId: number, outcome: 'requeued' | 'failed') => void;
  /** The clock for the expiry grace (tests). */
  now?: () => number;
}

export interface SweepTimings {
  intervalMs: number;
  /** How long expiry waits after the database is back or the server starts: the longest lease. */
  expiryGraceMs: number;
}

/** How many expired stages or unreconciled builds one tick handles (the rest wait for the next tick). */
const BATCH = 50;

export class Sweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly now: () => number;
  /** Expiry waits until then (a lease after the start, or after the database came back). */
  private expiryFrom: number;
  private databaseLost = false;

  constructor(
    private readonly deps: SweepDeps,
    private readonly timings: SweepTimings,
  ) {
    this.now = deps.now ?? Date.now;
    this.expiryFrom = this.now() + timings.expiryGraceMs;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = undefined));
    }, this.timings.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; each task's failure is reported and does not stop the others. */
  async tick(): Promise<void> {
    const { deps } = this;
    deps.dispatcher.wake();
    await this.step('watches', () => this.answerDoneWatches());
    await this.step('leases', () => deps.renewer.flush());
    await this.step('expiry', () => this.expireStages());
    await this.step('reconcile', () => this.reconcileBuilds());
  }

  private async step(task: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      if (err instanceof TransientError) this.databaseLost = true;
      this.deps.onError(err, task);
    }
  }

  private async answerDoneWatches(): Promise<void> {
    const watched = this.deps.watches.buildIds();
    if (watched.length === 0) return;
    for (const buildId of await this.deps.leases.findDoneBuilds(watched)) this.deps.watches.cancel(buildId);
  }

  private async expireStages(): Promise<void> {
    if (this.databaseLost) {
      // This tick's earlier steps reached the database again: give runners a lease to renew.
      this.databaseLost = false;
      this.expiryFrom = this.now() + this.timings.expiryGraceMs;
    }
    if (this.now() < this.expiryFrom) return;
    for (const stageId of await this.deps.leases.findExpired(BATCH)) {
      const outcome = await this.deps.transitions.expireStage(stageId);
      if (outcome.kind === 'requeued') {
        this.deps.afterCommit.stagesPending();
        this.deps.onExpired?.(stageId, 'requeued');
      } else if (outcome.kind === 'failed') {
        this.deps.afterCommit.stageFinished(outcome.aftermath);
        this.deps.onExpired?.(stageId, 'failed');
      }
    }
  }

  private async reconcileBuilds(): Promise<void> {
    for (const buildId of await this.deps.leases.findBuildsToReconcile(BATCH)) {
      const aftermath = await this.deps.transitions.reconcileBuild(buildId);
      if (aftermath) this.deps.afterCommit.stageFinished(aftermath);
    }
  }
}
