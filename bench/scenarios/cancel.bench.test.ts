// Scenario 3, cancel: a build running on a runner whose watch is held by server B is cancelled through
// the API on server A; latency from the cancel request to the runner's watch returning.
// - Hangar's runner re-watches at once after a 204: every cancel finds a held watch.
// - A stock runner sleeps 10 s after each 204 (runner-go): cancels land at random moments of its
//   hold-and-sleep cycle, as they do in practice, and some wait out the sleep.

import { expect, it } from 'vitest';
import { HANGAR_RETRY, RUNNER_GO_RETRY, RpcClient } from '../../src/runner/client.js';
import { until } from '../../test/support/wait.js';
import { heldWatches } from '../support/parked.js';
import { type Figures, recordResult } from '../support/results.js';
import { type RunningBuild, runningBuild } from '../support/running-build.js';
import { type BenchSetup, NOOP_PIPELINE, describeSetups } from '../support/setup.js';
import { size } from '../support/size.js';
import { delay, percentiles } from '../support/stats.js';

const HANGAR_CANCELS = size(100, 5);
const STOCK_CANCELS = size(40, 3);
/** A stock runner's cycle: the 30 s watch hold, then its 10 s sleep. Cancels are spread over it. */
const STOCK_WINDOW_MS = size(40_000, 1_000);

describeSetups('cancel', ['single', 'ha'], { pipeline: NOOP_PIPELINE }, (kind, current) => {
  it('measures cancel-to-watch latency with Hangar and stock runner behaviour', async () => {
    const setup = current();
    const hangar = await hangarCancels(setup);
    const stock = await stockCancels(setup);
    expect(hangar).toHaveLength(HANGAR_CANCELS);
    expect(stock).toHaveLength(STOCK_CANCELS);
    const figures: Figures = {
      ...percentiles(hangar),
      runner: 'Hangar (re-watches at once)',
      cancelled_on: kind === 'ha' ? 'server A, watch held by server B' : 'the server',
      stock_runner: { ...percentiles(stock), runner: 'stock (10 s sleep after each 204)', spread_over_ms: STOCK_WINDOW_MS },
    };
    recordResult('cancel', kind, figures);
  });
});

async function cancel(setup: BenchSetup, build: RunningBuild): Promise<number> {
  const sentAt = performance.now();
  await setup.api('DELETE', `/api/repos/${setup.slug}/builds/${build.number}`);
  return sentAt;
}

/** One build at a time: its watch held on B, then cancelled on A. */
async function hangarCancels(setup: BenchSetup): Promise<number[]> {
  const client = new RpcClient({ address: setup.serverB, secret: setup.rpcSecret, retry: HANGAR_RETRY });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < HANGAR_CANCELS; i++) {
      const build = await runningBuild(setup, client);
      const watch = client.watch(build.id, new AbortController().signal).then(() => performance.now());
      await until(async () => (await heldWatches(setup)) >= 1, 10_000, 5);
      const sentAt = await cancel(setup, build);
      latencies.push((await watch) - sentAt);
    }
  } finally {
    client.close();
  }
  return latencies;
}

/** Builds watched by stock runners, each cancelled at a random moment of the watch's hold-and-sleep cycle. */
async function stockCancels(setup: BenchSetup): Promise<number[]> {
  const client = new RpcClient({ address: setup.serverB, secret: setup.rpcSecret, retry: HANGAR_RETRY });
  const watcher = new RpcClient({ address: setup.serverB, secret: setup.rpcSecret, retry: RUNNER_GO_RETRY });
  try {
    const builds: RunningBuild[] = [];
    for (let i = 0; i < STOCK_CANCELS; i++) builds.push(await runningBuild(setup, client));
    return await Promise.all(
      builds.map(async (build) => {
        const watch = watcher.watch(build.id, new AbortController().signal).then(() => performance.now());
        await delay(Math.random() * STOCK_WINDOW_MS);
        const sentAt = await cancel(setup, build);
        return (await watch) - sentAt;
      }),
    );
  } finally {
    client.close();
    watcher.close();
  }
}
