// Scenario 5, idle cost: each server's CPU (% of one core) and resident memory while 200 runners hold
// idle long-polls (stock behaviour: re-poll when the 30 s hold ends, sleeping 10 s after each 204).
// Baseline: the same servers over the same window with no runner.

import { expect, it } from 'vitest';
import { waitParked } from '../support/parked.js';
import { type Figures, recordResult } from '../support/results.js';
import { type BenchSetup, NOOP_PIPELINE, describeSetups } from '../support/setup.js';
import { SimRunners } from '../support/sim-runner.js';
import { size } from '../support/size.js';
import { cpuPercentDuring, delay, rssMb } from '../support/stats.js';

const RUNNERS = size(200, 10);
/** Longer than one 30 s hold, so every poll is renewed once within it. */
const WINDOW_MS = size(45_000, 2_000);

describeSetups('idle cost', ['single', 'ha'], { pipeline: NOOP_PIPELINE }, (kind, current) => {
  it('reads CPU and memory of every server with and without 200 parked runners', async () => {
    const setup = current();
    const quiet = await usage(setup);
    const runners = new SimRunners(RUNNERS, { address: setup.balanced, secret: setup.rpcSecret, behaviour: 'stock', onAccepted: () => {} });
    runners.start();
    let busy: Awaited<ReturnType<typeof usage>>;
    try {
      await waitParked(setup, RUNNERS);
      busy = await usage(setup);
    } finally {
      await runners.stop();
    }
    expect(runners.errors).toEqual([]);
    const figures: Figures = {
      runners: RUNNERS,
      window_ms: WINDOW_MS,
      cpu_percent_per_server: Math.max(...busy.cpu),
      rss_mb_per_server: Math.max(...busy.rss),
      baseline: 'the same servers with no runner',
      baseline_cpu_percent_per_server: Math.max(...quiet.cpu),
      baseline_rss_mb_per_server: Math.max(...quiet.rss),
      servers: busy.cpu.length,
    };
    recordResult('idle', kind, figures);
  });
});

/** CPU % of one core over WINDOW_MS and RSS at its end, per server process. */
async function usage(setup: BenchSetup): Promise<{ cpu: number[]; rss: number[] }> {
  const pids = setup.serverPids();
  const cpu = await cpuPercentDuring(pids, () => delay(WINDOW_MS));
  return { cpu, rss: pids.map(rssMb) };
}
