// Scenario 6, API: a repository's build list (GET /api/repos/{owner}/{name}/builds, 25 builds a page)
// under a concurrent load generator (autocannon), through HAProxy on ha; baseline: GET /healthz on the
// same path, which touches no database.

import autocannon from 'autocannon';
import { expect, it } from 'vitest';
import { createBurst } from '../support/builds.js';
import { type Figures, recordResult } from '../support/results.js';
import { NOOP_PIPELINE, describeSetups } from '../support/setup.js';
import { size } from '../support/size.js';
import { ratio, round } from '../support/stats.js';

const BUILDS = size(200, 5);
const CONNECTIONS = size(32, 4);
const DURATION_S = size(10, 1);

describeSetups('API', ['single', 'ha'], { pipeline: NOOP_PIPELINE }, (kind, current) => {
  it('loads the build list and /healthz through the same path', async () => {
    const setup = current();
    await createBurst(setup, BUILDS, 8);
    const headers = { Authorization: `Bearer ${setup.token}` };
    const list = await autocannon({ url: `${setup.balanced}/api/repos/${setup.slug}/builds`, connections: CONNECTIONS, duration: DURATION_S, headers });
    const health = await autocannon({ url: `${setup.balanced}/healthz`, connections: CONNECTIONS, duration: DURATION_S });
    for (const result of [list, health]) {
      expect(result.errors + result.timeouts + result.non2xx).toBe(0);
      expect(result.requests.total).toBeGreaterThan(0);
    }
    const figures: Figures = {
      path: kind === 'ha' ? 'HAProxy (layer 7) to 2 servers' : 'the server',
      connections: CONNECTIONS,
      builds_in_repo: BUILDS,
      requests_per_s: round(list.requests.average, 1),
      p50_ms: list.latency.p50,
      p99_ms: list.latency.p99,
      baseline: 'GET /healthz, same path and load',
      baseline_requests_per_s: round(health.requests.average, 1),
      baseline_p99_ms: health.latency.p99,
      ratio: ratio(list.requests.average, health.requests.average),
    };
    recordResult('api', kind, figures);
  });
});
