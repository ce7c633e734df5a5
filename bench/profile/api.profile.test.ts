// Not part of the suites: writes CPU profiles of the servers while autocannon loads the build list.
//   HANGAR_BENCH_INCLUDE=bench/profile/api.profile.test.ts HANGAR_PROFILE_SETUP=ha|single \
//   HANGAR_PROFILE_DIR=/tmp/hangar-prof npx vitest run --config bench/vitest.config.ts

import autocannon from 'autocannon';
import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { createBurst } from '../support/builds.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { stopGracefully } from './stop.js';

it('profiles the build list under load', async () => {
  const kind = process.env.HANGAR_PROFILE_SETUP === 'ha' ? 'ha' : 'single';
  const flags = `--cpu-prof --cpu-prof-dir=${process.env.HANGAR_PROFILE_DIR ?? '/tmp/hangar-prof'}`;
  const setup = await startSetup(kind, { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, env: { HANGAR_NODE_FLAGS: flags } });
  try {
    await createBurst(setup, 200, 8);
    const result = await autocannon({ url: `${setup.balanced}/api/repos/${setup.slug}/builds`, connections: 32, duration: 10, headers: { Authorization: `Bearer ${setup.token}` } });
    console.log('requests/s', result.requests.average, 'p99', result.latency.p99);
    await stopGracefully(setup);
  } finally {
    await setup.close();
  }
}, 600_000);
