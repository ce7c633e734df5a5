// Not part of the suites: where the create request's tail comes from in the dispatch scenario's user view
// (builds created one at a time by branch on server A). The same requests are timed three ways:
// - alone: no runner, so nothing else happens between two creates;
// - after the previous build ended: runners take each build, and the next is created once it finished;
// - as the scenario does: the next build is created as soon as the previous one shows its runner, while
//   that runner still reports its stage.
// Beside them, one at a time and alone: reading one build, and /healthz (no database at all).
//   HANGAR_BENCH_INCLUDE=bench/profile/create-tail.profile.test.ts [HANGAR_PROFILE_CPU=1] \
//   npx vitest run --config bench/vitest.config.ts

import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { until } from '../../test/support/wait.js';
import { untilDispatched } from '../support/builds.js';
import { waitParked } from '../support/parked.js';
import { type BenchSetup, NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { trackedRunners } from '../support/sim-runner.js';
import { percentiles, round } from '../support/stats.js';
import { serverProfiling } from './cpu-profiling.js';

const BUILDS = 400;
const RUNNERS = 50;

it('times the create request alone, after the previous build ended, and as the scenario does', async () => {
  const profiling = serverProfiling();
  const setup = await startSetup('ha', { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, env: profiling.env });
  try {
    report('alone', await createEach(setup, async () => {}));
    report('reading one build, alone', await timeEach(async () => setup.api('GET', `/api/repos/${setup.slug}/builds/1`)));
    report('/healthz, alone', await timeEach(async () => (await fetch(`${setup.serverA}/healthz`)).text()));
    const { runners, finished } = trackedRunners(setup, RUNNERS);
    runners.start();
    try {
      await waitParked(setup, RUNNERS);
      report('after the previous build ended', await createEach(setup, async (build) => until(async () => finished.has(build.id), 30_000, 1)));
      report('as the scenario does', await createEach(setup, (build) => untilDispatched(setup, build.number)));
    } finally {
      await runners.stop();
    }
    await profiling.report(setup);
  } finally {
    await setup.close();
  }
}, 600_000);

async function timeEach(request: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < BUILDS; i++) {
    const sentAt = performance.now();
    await request();
    times.push(performance.now() - sentAt);
  }
  return times.slice(50);
}

async function createEach(setup: BenchSetup, then: (build: { id: number; number: number }) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < BUILDS; i++) {
    const sentAt = performance.now();
    const build = await setup.api<{ id: number; number: number }>('POST', `/api/repos/${setup.slug}/builds?branch=main`);
    times.push(performance.now() - sentAt);
    await then(build);
  }
  // The first 50 warm the server up; the dispatch scenario runs after its bursts.
  return times.slice(50);
}

function report(name: string, times: number[]): void {
  const { p50_ms, p95_ms, p99_ms } = percentiles(times);
  console.log(`${name}: p50 ${p50_ms} ms, p95 ${p95_ms} ms, p99 ${p99_ms} ms, p99/p50 ${round(p99_ms / p50_ms, 2)}`);
}
