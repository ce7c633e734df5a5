// The default leases keep both promises of issue 14 by arithmetic (test/e2e/runner-killed.test.ts measures
// the first on real processes): a killed runner's stage ends within 30 s, and a stock runner's silent step
// never loses its stage to the 10 s runner-go sleeps after each build watch's 204.

import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../../src/config/server.js';

/** runner-go sleeps this long after a 204 before it watches the build again. */
const RUNNER_GO_SLEEP_MS = 10_000;

describe('the default leases', () => {
  const { timings } = loadServerConfig({});

  it('end a dead runner’s stage within 30 s: a lease renewed just before death, then one sweep, with 1 s to spare', () => {
    expect(timings.runningLease + timings.sweepInterval).toBeLessThanOrEqual(29_000);
    expect(timings.acceptLease + timings.sweepInterval).toBeLessThanOrEqual(29_000);
  });

  it('outlast a stock runner’s sleep between two watches, with a second to spare', () => {
    // A renewal comes once less than half the lease is left (at a sweep tick): at the watch's 204 at least
    // half the lease minus one tick is left, and the next watch renews it at the first tick after the sleep.
    const leftAtTheWatchEnd = timings.runningLease / 2 - timings.sweepInterval;
    const neededUntilTheNextRenewal = RUNNER_GO_SLEEP_MS + timings.sweepInterval;
    expect(leftAtTheWatchEnd - neededUntilTheNextRenewal).toBeGreaterThanOrEqual(1_000);
  });

  it('are settings', () => {
    const set = loadServerConfig({ HANGAR_ACCEPT_LEASE: '45s', HANGAR_RUNNING_LEASE: '1m' }).timings;
    expect(set).toMatchObject({ acceptLease: 45_000, runningLease: 60_000 });
  });
});
