// Not part of the suites: where the CPU goes while a runner sends 100,000 log lines as fast as it can
// (20 steps, batches of 100) into server A, with 50 viewers following the steps on server B — the logs
// scenario's ingest run. Prints lines/s, the CPU per 1,000 lines by process, and, with
// HANGAR_PROFILE_CPU=1, the servers' CPU profiles summarised.
//   HANGAR_BENCH_INCLUDE=bench/profile/ingest.profile.test.ts HANGAR_PROFILE_SETUP=ha|single \
//   [HANGAR_PROFILE_CPU=1 HANGAR_PROFILE_DIR=/tmp/hangar-prof] npx vitest run --config bench/vitest.config.ts

import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import type { Line } from '../../src/core/types.js';
import { HANGAR_RETRY, RpcClient } from '../../src/runner/client.js';
import { until } from '../../test/support/wait.js';
import { cpuSplitDuring, describeSplit } from '../support/cpu-split.js';
import { runningBuild } from '../support/running-build.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { reportSuccess } from '../support/sim-runner.js';
import { viewLog } from '../support/sse-viewer.js';
import { round } from '../support/stats.js';
import { serverProfiling } from './cpu-profiling.js';

const STEPS = 20;
const LINES = 5000;
const BATCH = 100;
const VIEWERS = 50;

it('profiles log ingest', async () => {
  const kind = process.env.HANGAR_PROFILE_SETUP === 'single' ? 'single' : 'ha';
  const profiling = serverProfiling();
  const setup = await startSetup(kind, { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, env: profiling.env });
  const client = new RpcClient({ address: setup.serverA, secret: setup.rpcSecret, retry: HANGAR_RETRY });
  try {
    const { stage, number } = await runningBuild(setup, client, STEPS);
    const counts = Array.from({ length: VIEWERS }, () => 0);
    const viewers = counts.map((_, v) =>
      viewLog(`${setup.serverB}/api/stream/${setup.slug}/${number}/1/${(v % STEPS) + 1}`, setup.token, () => {
        counts[v]++;
      }),
    );
    await Promise.all(viewers.map((viewer) => viewer.connected));
    let writeMs = 0;
    const split = await cpuSplitDuring(setup.serverPids(), async () => {
      const started = performance.now();
      await Promise.all((stage.steps ?? []).map((step) => sendAll(client, step.id)));
      writeMs = performance.now() - started;
      await until(async () => counts.every((count) => count >= LINES), 120_000, 20);
    });
    console.log(`${kind}: ${round((STEPS * LINES) / (writeMs / 1000), 1)} lines/s accepted`);
    console.log(describeSplit(split, (STEPS * LINES) / 1000, '1,000 lines', 0.05).join('\n'));
    await reportSuccess(client, stage);
    await Promise.all(viewers.map((viewer) => viewer.ended));
    await profiling.report(setup);
  } finally {
    client.close();
    await setup.close();
  }
}, 600_000);

async function sendAll(client: RpcClient, stepId: number): Promise<void> {
  for (let pos = 0; pos < LINES; pos += BATCH) {
    const batch: Line[] = Array.from({ length: BATCH }, (_, i) => ({ pos: pos + i, out: `${performance.now().toFixed(3)} line ${pos + i}\n`, time: 0 }));
    await client.batch(stepId, batch);
  }
}
