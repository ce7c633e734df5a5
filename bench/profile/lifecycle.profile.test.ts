// Not part of the suites: writes CPU profiles of the servers during a lifecycle burst of 1,000 builds, and
// prints where their time went (HANGAR_PROFILE_DIR should be empty or new).
//   HANGAR_BENCH_INCLUDE=bench/profile/lifecycle.profile.test.ts HANGAR_PROFILE_SETUP=ha|single \
//   HANGAR_PROFILE_DIR=/tmp/hangar-prof npx vitest run --config bench/vitest.config.ts

import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { lifecycleBurst } from '../support/burst.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { serverProfiling } from './cpu-profiling.js';

it('profiles a lifecycle burst', async () => {
  const kind = process.env.HANGAR_PROFILE_SETUP === 'single' ? 'single' : 'ha';
  const profiling = serverProfiling({ always: true });
  const setup = await startSetup(kind, { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, env: profiling.env });
  try {
    console.log('builds/s', (await lifecycleBurst(setup, 50, 1000)).buildsPerS);
    await profiling.report(setup);
  } finally {
    await setup.close();
  }
}, 600_000);
