// Which finished stages wake parked runners on every server, and where a created build's wake goes. A wake
// costs each server with parked runners a reservation statement; a finish that freed nothing another stage
// waits for needs none.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryBus } from '../../../src/bus/memory.js';
import type { Aftermath } from '../../../src/core/store.js';
import type { Build, Stage } from '../../../src/core/types.js';
import { MemoryLiveLog } from '../../../src/livelog/memory.js';
import { AfterCommit, LOCAL_OFFER_WAIT_MS } from '../../../src/scheduler/after-commit.js';

function wakesAfter(finish: (afterCommit: AfterCommit) => void): number {
  const bus = new MemoryBus();
  let wakes = 0;
  bus.onWake(() => wakes++);
  finish(new AfterCommit(bus, new MemoryLiveLog()));
  return wakes;
}

const aftermath = (promoted: number): Aftermath => ({ build: { id: 1, repo_id: 1 } as Build, promoted, buildFinished: false, endedStepIds: [] });

describe('a finished stage', () => {
  it('wakes no one when it held nothing back and promoted nothing', () => {
    expect(wakesAfter((after) => after.stageFinished(aftermath(0), {}))).toBe(0);
    expect(wakesAfter((after) => after.stageFinished(aftermath(0), { limit: 0, throttle: 0 }))).toBe(0);
  });

  it('wakes runners when stages of its build became pending', () => {
    expect(wakesAfter((after) => after.stageFinished(aftermath(2), {}))).toBe(1);
  });

  it('wakes runners when it counted against a concurrency limit or a repository throttle', () => {
    expect(wakesAfter((after) => after.stageFinished(aftermath(0), { limit: 1 }))).toBe(1);
    expect(wakesAfter((after) => after.stageFinished(aftermath(0), { throttle: 2 }))).toBe(1);
  });

  it('wakes runners when the caller cannot say (expiry, reconcile)', () => {
    expect(wakesAfter((after) => after.stageFinished(aftermath(0)))).toBe(1);
  });
});

describe('a created build', () => {
  const build = { id: 5, repo_id: 1 } as Build;
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /**
   * Where wakes went, up to well after the offer's bound: this server's runners take `taken` of the build's
   * stages, or answer only when the test calls `answer`.
   */
  async function wakesFor(pendingCount: number, taken: number | Error | 'hangs'): Promise<string[]> {
    const pending = Array.from({ length: pendingCount }, (_, i) => ({ id: i + 1, build_id: 5, status: 'pending' }) as Stage);
    const bus = new MemoryBus();
    const sent: string[] = [];
    bus.publishWake = (to = 'all') => void sent.push(to);
    const localRunners = {
      offer: (offeredStages: readonly Stage[]) => {
        expect(offeredStages).toEqual(pending);
        if (taken === 'hangs') return new Promise<number>(() => {});
        return taken instanceof Error ? Promise.reject(taken) : Promise.resolve(taken);
      },
    };
    new AfterCommit(bus, new MemoryLiveLog(), undefined, localRunners).buildCreated(build, pending);
    await vi.advanceTimersByTimeAsync(LOCAL_OFFER_WAIT_MS * 3);
    return sent;
  }

  it('wakes no other server when this server’s runners took every stage', async () => {
    expect(await wakesFor(2, 2)).toEqual([]);
  });

  it('wakes the other servers for the stages left', async () => {
    expect(await wakesFor(2, 1)).toEqual(['others']);
    expect(await wakesFor(1, 0)).toEqual(['others']);
  });

  it('wakes the other servers when this server could not offer the build', async () => {
    expect(await wakesFor(1, new Error('database unreachable'))).toEqual(['others']);
  });

  it('wakes the other servers once when this server’s offer does not answer in time', async () => {
    expect(await wakesFor(1, 'hangs')).toEqual(['others']);
  });

  it('wakes the other servers only once when a late offer leaves stages', async () => {
    const bus = new MemoryBus();
    const sent: string[] = [];
    bus.publishWake = (to = 'all') => void sent.push(to);
    let answer: (taken: number) => void = () => {};
    const localRunners = { offer: () => new Promise<number>((resolve) => (answer = resolve)) };
    new AfterCommit(bus, new MemoryLiveLog(), undefined, localRunners).buildCreated(build, [{ id: 1, build_id: 5, status: 'pending' } as Stage]);
    await vi.advanceTimersByTimeAsync(LOCAL_OFFER_WAIT_MS - 1);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual(['others']);
    answer(0);
    await vi.advanceTimersByTimeAsync(LOCAL_OFFER_WAIT_MS);
    expect(sent).toEqual(['others']);
  });

  it('wakes no one for a build without pending stages', async () => {
    expect(await wakesFor(0, 0)).toEqual([]);
  });
});
