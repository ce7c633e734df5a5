// A burst of builds run to the end: created on server A 16 at a time, taken and finished at once by
// simulated runners parked on server B (Hangar's behaviour). Used by the dispatch scenario and the profiler.

import { until } from '../../test/support/wait.js';
import { createBurst } from './builds.js';
import type { BenchSetup } from './setup.js';
import { SimRunners } from './sim-runner.js';
import { round } from './stats.js';

/** Builds per second from the first create to the last finish, and what the runners met on the way. */
export async function lifecycleBurst(setup: BenchSetup, runners: number, builds: number): Promise<{ buildsPerS: number; errors: string[] }> {
  const finished = new Set<number>();
  const sims = new SimRunners(runners, { address: setup.serverB, secret: setup.rpcSecret, behaviour: 'hangar', onAccepted: () => {}, onFinished: (stage) => finished.add(stage.build_id) });
  sims.start();
  try {
    const started = performance.now();
    const created = await createBurst(setup, builds, 16);
    await until(async () => created.every((build) => finished.has(build.id)), 300_000, 20);
    return { buildsPerS: round(builds / ((performance.now() - started) / 1000), 1), errors: sims.errors };
  } finally {
    await sims.stop();
  }
}
