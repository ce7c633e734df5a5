// Not part of the suites: the scale scenario's first builds on a fresh cluster. 1,000 long-polling runners
// over three servers, builds offered at 50/s through HAProxy; prints create-to-accept and the create
// request in windows of builds, so the cold start's length and size show; the CPU per build by process for
// the first 100 builds and the next 200 (and, for those, the statements per build), and the CPU of the
// parked runners alone.
//   HANGAR_BENCH_INCLUDE=bench/profile/scale-cold.profile.test.ts [HANGAR_PROFILE_CPU=1] \
//   npx vitest run --config bench/vitest.config.ts

import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { until } from '../../test/support/wait.js';
import { type CreatedBuild, createAtRate } from '../support/builds.js';
import { countStatements } from '../support/statements.js';
import { cpuSplitDuring, describeSplit } from '../support/cpu-split.js';
import { waitParked } from '../support/parked.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { trackedRunners } from '../support/sim-runner.js';
import { percentiles } from '../support/stats.js';
import { serverProfiling } from './cpu-profiling.js';

const RUNNERS = 1000;
const BUILDS = 300;
const WINDOW = 25;
const RATE_PER_S = 50;

it('times the first builds of a fresh cluster under the scale load', async () => {
  const profiling = serverProfiling();
  const setup = await startSetup('ha', { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, servers: 3, env: profiling.env });
  const { runners, accepts, finished } = trackedRunners(setup, RUNNERS);
  try {
    runners.start();
    await waitParked(setup, RUNNERS, 120_000);
    const parked = await cpuSplitDuring(setup.serverPids(), () => new Promise((resolve) => setTimeout(resolve, 5000)));
    console.log(`5 s parked, no builds:\n${describeSplit(parked, 5, 'second', 0.05).join('\n')}`);
    const created: CreatedBuild[] = [];
    // CLOCK_MONOTONIC in µs, the clock of a CPU profile's timestamps.
    const firstAtUs = process.hrtime.bigint() / 1000n;
    for (const [i, count] of [100, BUILDS - 100].entries()) {
      const counting = i === 1 ? await countStatements(setup.cluster?.databaseUrl ?? '') : undefined;
      const split = await cpuSplitDuring(setup.serverPids(), async () => {
        const part = await createAtRate(setup, count, RATE_PER_S, setup.balanced);
        await until(async () => part.every((build) => finished.has(build.id)), 120_000, 20);
        created.push(...part);
      });
      const counted = await counting?.stop();
      if (counted) console.log(`statements per build ${(counted.statements / count).toFixed(1)}, commits ${(counted.commits / count).toFixed(1)}\n${counted.top.slice(0, 25).map((t) => `${(t.calls / count).toFixed(2).padStart(6)} ${t.meanMs.toFixed(3)} ms ${t.query}`).join('\n')}`);
      console.log(`${i === 0 ? 'first' : 'next'} ${count} builds:\n${describeSplit(split, count, 'build', 0.05).join('\n')}`);
    }
    console.log(`first build sent at ${firstAtUs} µs (monotonic)`);
    for (let from = 0; from < BUILDS; from += WINDOW) {
      const window = created.slice(from, from + WINDOW);
      const accept = percentiles(window.map((build) => (accepts.get(build.id) ?? Number.NaN) - build.sentAt));
      const create = percentiles(window.map((build) => build.answeredAt - build.sentAt));
      console.log(`builds ${from + 1}–${from + WINDOW}: to accept p50 ${accept.p50_ms} max ${accept.max_ms} ms, create p50 ${create.p50_ms} max ${create.max_ms} ms`);
    }
  } finally {
    await runners.stop();
    await profiling.report(setup);
    await setup.close();
  }
}, 600_000);
