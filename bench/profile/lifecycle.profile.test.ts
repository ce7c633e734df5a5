// Not part of the suites: writes CPU profiles of the servers during a lifecycle burst of 1,000 builds.
//   HANGAR_BENCH_INCLUDE=bench/profile/lifecycle.profile.test.ts HANGAR_PROFILE_SETUP=ha|single \
//   HANGAR_PROFILE_DIR=/tmp/hangar-prof npx vitest run --config bench/vitest.config.ts

import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { lifecycleBurst } from '../support/burst.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { stopGracefully } from './stop.js';

it('profiles a lifecycle burst', async () => {
  const kind = process.env.HANGAR_PROFILE_SETUP === 'single' ? 'single' : 'ha';
  const flags = `--cpu-prof --cpu-prof-dir=${process.env.HANGAR_PROFILE_DIR ?? '/tmp/hangar-prof'}`;
  const setup = await startSetup(kind, { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, env: { HANGAR_NODE_FLAGS: flags } });
  try {
    console.log('builds/s', (await lifecycleBurst(setup, 50, 1000)).buildsPerS);
    await stopGracefully(setup);
  } finally {
    await setup.close();
  }
}, 600_000);
