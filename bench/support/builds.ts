// Creating builds the way a user does (Drone's `POST /api/repos/{owner}/{name}/builds`), one at a time,
// as a burst with bounded concurrency, or open-loop at a fixed rate.

import type { BenchSetup } from './setup.js';
import { delay } from './stats.js';

export interface CreatedBuild {
  id: number;
  number: number;
  /** performance.now() when the request was sent and when its answer came. */
  sentAt: number;
  answeredAt: number;
}

export async function createBuild(setup: BenchSetup, via = setup.serverA): Promise<CreatedBuild> {
  const sentAt = performance.now();
  const build = await setup.api<{ id: number; number: number }>('POST', `/api/repos/${setup.slug}/builds?branch=main&commit=${setup.commit}`, undefined, via);
  return { id: build.id, number: build.number, sentAt, answeredAt: performance.now() };
}

/** `count` builds, `concurrency` requests in flight. */
export async function createBurst(setup: BenchSetup, count: number, concurrency: number, via = setup.serverA): Promise<CreatedBuild[]> {
  const created: CreatedBuild[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        created.push(await createBuild(setup, via));
      }
    }),
  );
  return created;
}

/** Open loop: a build every 1000/rate ms whether or not the previous ones were answered. */
export async function createAtRate(setup: BenchSetup, count: number, ratePerS: number, via = setup.serverA): Promise<CreatedBuild[]> {
  const interval = 1000 / ratePerS;
  const started = performance.now();
  const pending: Array<Promise<CreatedBuild>> = [];
  for (let i = 0; i < count; i++) {
    await delay(started + i * interval - performance.now());
    pending.push(createBuild(setup, via));
  }
  return Promise.all(pending);
}

/**
 * As a user or a dashboard sees dispatch: a build created by branch on server A (the server resolves the
 * commit), then `GET …/builds/{n}` until its stage names a runner. Returns both times in ms.
 */
export async function createUntilDispatched(setup: BenchSetup): Promise<{ createMs: number; dispatchMs: number }> {
  const sentAt = performance.now();
  const build = await setup.api<{ number: number }>('POST', `/api/repos/${setup.slug}/builds?branch=main`);
  const createMs = performance.now() - sentAt;
  await untilDispatched(setup, build.number);
  return { createMs, dispatchMs: performance.now() - sentAt };
}

/** Reads build `number` on server A until its first stage names a runner. */
export async function untilDispatched(setup: BenchSetup, number: number): Promise<void> {
  for (;;) {
    const seen = await setup.api<{ stages?: Array<{ machine?: string }> }>('GET', `/api/repos/${setup.slug}/builds/${number}`);
    if (seen.stages?.[0]?.machine) return;
  }
}
