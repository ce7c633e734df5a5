// Not part of the suites: writes CPU profiles of the servers during a lifecycle burst of 1,000 builds.
//   HANGAR_BENCH_INCLUDE=bench/profile/lifecycle.profile.test.ts HANGAR_PROFILE_SETUP=ha|single \
//   HANGAR_PROFILE_DIR=/tmp/hangar-prof npx vitest run --config bench/vitest.config.ts
// Node writes a profile when its process exits, so the servers are stopped with SIGTERM first.

import { existsSync, readFileSync } from 'node:fs';
import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { until } from '../../test/support/wait.js';
import { lifecycleBurst } from '../support/burst.js';
import { type BenchSetup, NOOP_PIPELINE, startSetup } from '../support/setup.js';

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

async function stopGracefully(setup: BenchSetup): Promise<void> {
  for (const pid of setup.serverPids()) {
    process.kill(pid, 'SIGTERM');
    await until(async () => !existsSync(`/proc/${pid}/stat`) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '), 30_000);
  }
}
