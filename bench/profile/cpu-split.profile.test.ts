// Not part of the suites: where a build's CPU goes during a lifecycle burst, per kind of process (the
// servers, PostgreSQL, Redis, the load generator).
//   HANGAR_PROFILE_SETUP=ha|single HANGAR_BENCH_INCLUDE=bench/profile/cpu-split.profile.test.ts \
//   npx vitest run --config bench/vitest.config.ts

import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { lifecycleBurst } from '../support/burst.js';
import { cpuSplitDuring, describeSplit } from '../support/cpu-split.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';

it('splits a lifecycle burst\'s CPU by process', async () => {
  const kind = process.env.HANGAR_PROFILE_SETUP === 'single' ? 'single' : 'ha';
  const builds = Number(process.env.HANGAR_PROFILE_BUILDS ?? 1000);
  const setup = await startSetup(kind, { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE });
  try {
    let buildsPerS = 0;
    const split = await cpuSplitDuring(setup.serverPids(), async () => {
      buildsPerS = (await lifecycleBurst(setup, 50, builds)).buildsPerS;
    });
    console.log(`${kind}: ${buildsPerS} builds/s\n${describeSplit(split, builds, 'build', 0.05).join('\n')}`);
  } finally {
    await setup.close();
  }
}, 600_000);
