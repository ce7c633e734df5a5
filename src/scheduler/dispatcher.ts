// Parked runner polls and the reservations that feed them (DESIGN §3.3).
//
// A `POST /rpc/v2/stage` registers its waiter before the first reservation attempt, so a wake-up that
// arrives meanwhile is not lost. A wake-up makes one reservation attempt per distinct waiting filter (not
// one per waiter), for as many stages as that filter has waiters; each reserved stage goes to the oldest
// waiter of that filter. The database decides who gets a stage: a reservation is one conditional UPDATE,
// and Accept is the only claim.
//
// A runner that joins others already parked with its filter, after their last attempt found nothing and
// no wake-up came since, parks without an attempt of its own. New and re-queued stages, promotions,
// approvals, cancels, a resumed queue and slots freed under a limit or throttle wake the servers. What
// becomes reservable without a wake-up waits for the sweep, which wakes every server each interval (1 s by
// default): a wake-up lost with Redis, a reservation that lapsed without an accept, a stage given back, and
// a slot freed by a stage created before its pipeline or repository had a limit.

import type { Queue } from '../core/store.js';
import type { Filter, Stage } from '../core/types.js';
import { filterKey, filterMatches } from './filter.js';

interface Waiter {
  resolve: (stage: Stage | undefined) => void;
  done: boolean;
}

interface WaiterGroup {
  filter: Filter;
  waiters: Waiter[];
  /** The pass running for this filter, if any; `again` asks it to run once more before it ends. */
  running: Promise<void> | undefined;
  again: boolean;
  /** The last attempt found no more matching work and no wake-up came since: new waiters just park. */
  drained: boolean;
}

/** The most stages one reservation statement takes (a burst of parked runners is served in few statements). */
const MAX_BATCH = 64;

export interface DispatcherOptions {
  reservationMs: number;
  onError?: (err: unknown) => void;
}

export class Dispatcher {
  private readonly groups = new Map<string, WaiterGroup>();
  /** Told of each stage handed to a waiter while an `offer` is counting. */
  private readonly deliveries = new Set<(stage: Stage) => void>();

  constructor(
    private readonly queue: Queue,
    private readonly options: DispatcherOptions,
  ) {}

  /**
   * Parks a runner's request until a matching stage is reserved for it, or `signal` aborts (the hold ended
   * or the runner went away): then resolves undefined.
   */
  request(filter: Filter, signal: AbortSignal): Promise<Stage | undefined> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(undefined);
      const key = filterKey(filter);
      let group = this.groups.get(key);
      if (!group) {
        group = { filter, waiters: [], running: undefined, again: false, drained: false };
        this.groups.set(key, group);
      }
      const waiter: Waiter = { resolve, done: false };
      group.waiters.push(waiter);
      const owner = group;
      signal.addEventListener(
        'abort',
        () => {
          if (waiter.done) return;
          waiter.done = true;
          this.removeWaiter(key, owner, waiter);
          resolve(undefined);
        },
        { once: true },
      );
      if (!group.drained) void this.pass(key, group);
    });
  }

  /** Something may be available: every waiting filter gets one more reservation attempt. */
  wake(): void {
    for (const [key, group] of this.groups) void this.wakeGroup(key, group);
  }

  /**
   * A build was created here with these pending stages: this server's parked runners whose filter matches
   * one of them try first. Resolves with how many of the stages they took once each such filter has had
   * its attempt (at once when none matches), so the caller wakes the other servers only for what is left.
   */
  async offer(pending: readonly Stage[]): Promise<number> {
    const matching = [...this.groups].filter(([, group]) => pending.some((stage) => filterMatches(group.filter, stage)));
    if (matching.length === 0) return 0;
    const ids = new Set(pending.map((stage) => stage.id));
    let taken = 0;
    const count = (stage: Stage): void => {
      if (ids.has(stage.id)) taken++;
    };
    this.deliveries.add(count);
    try {
      await Promise.all(matching.map(([key, group]) => this.wakeGroup(key, group)));
    } finally {
      this.deliveries.delete(count);
    }
    return taken;
  }

  /** A reserved stage could not be delivered (the runner's socket closed): let another runner have it. */
  async giveBack(stage: Stage): Promise<void> {
    await this.queue.release(stage.id);
    this.wake();
  }

  /** Number of parked requests on this server (metrics, drain). */
  waiting(): number {
    let count = 0;
    for (const group of this.groups.values()) count += group.waiters.length;
    return count;
  }

  /** The filters of the parked requests, with how many wait with each (the cluster page). */
  parkedFilters(): Array<{ filter: Filter; waiting: number }> {
    return [...this.groups.values()].filter((group) => group.waiters.length > 0).map((group) => ({ filter: group.filter, waiting: group.waiters.length }));
  }

  /** Ends every parked request (drain, shutdown): each resolves undefined. */
  releaseAll(): void {
    for (const [key, group] of this.groups) {
      for (const waiter of group.waiters) {
        waiter.done = true;
        waiter.resolve(undefined);
      }
      group.waiters = [];
      this.groups.delete(key);
    }
  }

  private wakeGroup(key: string, group: WaiterGroup): Promise<void> {
    group.drained = false;
    return this.pass(key, group);
  }

  /** Runs a pass for this filter, or asks the running one to go again; resolves when that pass ends. */
  private pass(key: string, group: WaiterGroup): Promise<void> {
    if (group.running) {
      group.again = true;
      return group.running;
    }
    group.running = this.passes(key, group);
    return group.running;
  }

  private async passes(key: string, group: WaiterGroup): Promise<void> {
    try {
      do {
        group.again = false;
        await this.fill(group);
      } while (group.again && group.waiters.length > 0);
    } finally {
      group.running = undefined;
      if (group.waiters.length === 0 && this.groups.get(key) === group) this.groups.delete(key);
    }
  }

  /**
   * Reserves stages for this filter while it has waiters and the queue has matching work: one statement
   * reserves as many stages as there are waiters (up to MAX_BATCH), handed to the oldest waiters first.
   */
  private async fill(group: WaiterGroup): Promise<void> {
    while (group.waiters.length > 0) {
      const wanted = Math.min(group.waiters.length, MAX_BATCH);
      let stages: Stage[];
      try {
        stages = await this.queue.reserve(group.filter, this.options.reservationMs, wanted);
      } catch (err) {
        // The sweep retries every parked filter each interval; a failed attempt only delays.
        this.options.onError?.(err);
        return;
      }
      for (const stage of stages) {
        const waiter = group.waiters.shift();
        if (!waiter) {
          // Waiters left while the statement ran: the stage goes back at once.
          await this.queue.release(stage.id).catch((err) => this.options.onError?.(err));
          continue;
        }
        waiter.done = true;
        waiter.resolve(stage);
        for (const count of this.deliveries) count(stage);
      }
      // Fewer than asked for: the queue has nothing more for this filter now.
      group.drained = stages.length < wanted;
      if (group.drained) return;
    }
  }

  private removeWaiter(key: string, group: WaiterGroup, waiter: Waiter): void {
    const index = group.waiters.indexOf(waiter);
    if (index >= 0) group.waiters.splice(index, 1);
    if (group.waiters.length === 0 && !group.running && this.groups.get(key) === group) this.groups.delete(key);
  }
}
