// Not part of the suites: the build list under autocannon beside /healthz on the same path, with where
// each request's CPU goes per kind of process, and CPU profiles of the servers (summarised at the end).
//   HANGAR_BENCH_INCLUDE=bench/profile/api.profile.test.ts HANGAR_PROFILE_SETUP=ha|single \
//   HANGAR_PROFILE_DIR=/tmp/hangar-prof npx vitest run --config bench/vitest.config.ts

import autocannon from 'autocannon';
import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { createBurst } from '../support/builds.js';
import { cpuSplitDuring, describeSplit } from '../support/cpu-split.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { serverProfiling } from './cpu-profiling.js';

it('profiles the build list under load', async () => {
  const kind = process.env.HANGAR_PROFILE_SETUP === 'ha' ? 'ha' : 'single';
  const profiling = serverProfiling({ always: true });
  const setup = await startSetup(kind, { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, env: profiling.env });
  try {
    await createBurst(setup, 200, 8);
    for (const path of ['/healthz', `/api/repos/${setup.slug}/builds`]) {
      let requests = 0;
      const split = await cpuSplitDuring(setup.serverPids(), async () => {
        const result = await autocannon({ url: `${setup.balanced}${path}`, connections: 32, duration: 10, headers: { Authorization: `Bearer ${setup.token}` } });
        requests = result.requests.total;
        console.log(`${kind} ${path}: ${result.requests.average} requests/s, p99 ${result.latency.p99} ms`);
      });
      console.log(describeSplit(split, requests, 'request').join('\n'));
    }
    await profiling.report(setup);
  } finally {
    await setup.close();
  }
}, 600_000);
