// A new build's stages are offered to this server's parked runners first; the offer says how many of the
// build's stages they took, so the other servers are woken only for the rest.

import { describe, expect, it } from 'vitest';
import type { Queue } from '../../../src/core/store.js';
import type { Filter, Stage } from '../../../src/core/types.js';
import { Dispatcher } from '../../../src/scheduler/dispatcher.js';

const linux: Filter = { kind: 'pipeline', type: 'docker', os: 'linux', arch: 'amd64', variant: '', kernel: '' };

/** A queue of pending stages; `hold()` makes the next reservation wait until `release()` is called. */
function fakeQueue() {
  const pending: Stage[] = [];
  let reservations = 0;
  let gate: Promise<void> | undefined;
  let failing = false;
  let stageIds = 0;
  let open: () => void = () => undefined;
  const queue = {
    reserve: async (_filter: Filter, _ms: number, limit = 1) => {
      reservations++;
      if (failing) throw new Error('database unreachable');
      const found = pending.splice(0, limit);
      if (gate) await gate;
      return found;
    },
    release: async () => undefined,
  } as unknown as Queue;
  return {
    queue,
    /** Queues `count` pending stages of build `buildId` for linux/amd64 (or `arch`) and answers them. */
    add: (buildId: number, count: number, arch = 'amd64'): Stage[] => {
      const added = Array.from({ length: count }, () => ({ id: ++stageIds, build_id: buildId, kind: '', type: '', os: 'linux', arch }) as Stage);
      pending.push(...added);
      return added;
    },
    reservations: () => reservations,
    failing: (fail: boolean) => (failing = fail),
    hold: () => (gate = new Promise((resolve) => (open = resolve))),
    release: () => {
      gate = undefined;
      open();
    },
  };
}

function park(dispatcher: Dispatcher, count: number): Array<Promise<Stage | undefined>> {
  const signal = new AbortController().signal;
  return Array.from({ length: count }, () => dispatcher.request(linux, signal));
}

describe('offering a new build to the parked runners', () => {
  it('counts the stages of the build that this server’s runners took', async () => {
    const queue = fakeQueue();
    const dispatcher = new Dispatcher(queue.queue, { reservationMs: 1000 });
    const runners = park(dispatcher, 1);
    await Promise.resolve();
    expect(await dispatcher.offer(queue.add(7, 2))).toBe(1);
    expect((await runners[0])?.build_id).toBe(7);
  });

  it('takes every stage when enough runners are parked, and none without runners', async () => {
    const queue = fakeQueue();
    const dispatcher = new Dispatcher(queue.queue, { reservationMs: 1000 });
    expect(await dispatcher.offer(queue.add(3, 1))).toBe(0);
    expect(queue.reservations()).toBe(0);

    const runners = park(dispatcher, 3);
    // The parked runners took build 3's stage as they arrived; build 4 comes later.
    expect((await runners[0])?.build_id).toBe(3);
    expect(await dispatcher.offer(queue.add(4, 2))).toBe(2);
  });

  it('does not count stages of other builds', async () => {
    const queue = fakeQueue();
    const dispatcher = new Dispatcher(queue.queue, { reservationMs: 1000 });
    const runners = park(dispatcher, 1);
    await Promise.resolve();
    queue.add(1, 1);
    expect(await dispatcher.offer(queue.add(2, 1))).toBe(0);
    expect((await runners[0])?.build_id).toBe(1);
  });

  it('waits for a reservation already under way to run again, and counts what it takes', async () => {
    const queue = fakeQueue();
    const dispatcher = new Dispatcher(queue.queue, { reservationMs: 1000 });
    queue.hold();
    // The runner's own attempt runs before the build exists and finds nothing.
    const runners = park(dispatcher, 1);
    const offered = dispatcher.offer(queue.add(9, 1));
    queue.release();
    expect(await offered).toBe(1);
    expect((await runners[0])?.build_id).toBe(9);
  });

  it('answers at once, without a statement, when no parked runner here can run the build', async () => {
    const queue = fakeQueue();
    const dispatcher = new Dispatcher(queue.queue, { reservationMs: 1000 });
    park(dispatcher, 2);
    await new Promise((resolve) => setImmediate(resolve));
    const before = queue.reservations();
    expect(await dispatcher.offer(queue.add(5, 1, 'arm64'))).toBe(0);
    expect(queue.reservations()).toBe(before);
  });
});

describe('runners joining an empty queue', () => {
  it('park without a reservation of their own until a wake-up, which makes one for all of them', async () => {
    const queue = fakeQueue();
    const dispatcher = new Dispatcher(queue.queue, { reservationMs: 1000 });
    park(dispatcher, 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.reservations()).toBe(1);

    const later = park(dispatcher, 2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.reservations()).toBe(1);

    queue.add(1, 3);
    dispatcher.wake();
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.reservations()).toBe(2);
    expect((await later[1])?.build_id).toBe(1);
  });

  it('try again for themselves after a wake-up whose attempt failed', async () => {
    const queue = fakeQueue();
    const dispatcher = new Dispatcher(queue.queue, { reservationMs: 1000 });
    const first = park(dispatcher, 1);
    await new Promise((resolve) => setImmediate(resolve));
    queue.failing(true);
    dispatcher.wake();
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.reservations()).toBe(2);

    // The failed attempt says nothing about the queue: the next runner to arrive looks for all of them.
    queue.failing(false);
    queue.add(1, 1);
    park(dispatcher, 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.reservations()).toBe(3);
    expect((await first[0])?.build_id).toBe(1);
  });
});
