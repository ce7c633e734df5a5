// Not part of the suites: `npx vitest run --config bench/vitest.config.ts bench/profile` writes CPU
// profiles of both servers (HANGAR_PROFILE_DIR) during a lifecycle burst.
import { existsSync, readFileSync } from 'node:fs';
import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { createBurst } from '../support/builds.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { SimRunners } from '../support/sim-runner.js';
import { until } from '../../test/support/wait.js';

it('profiles a lifecycle burst', async () => {
  const kind = (process.env.HANGAR_PROFILE_SETUP ?? 'ha') as 'ha' | 'single';
  const setup = await startSetup(kind, { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, env: { HANGAR_NODE_FLAGS: `--cpu-prof --cpu-prof-dir=${process.env.HANGAR_PROFILE_DIR ?? '/tmp/hangar-prof'}` } });
  try {
    await burst(setup);
  } finally {
    await setup.close();
  }
}, 600_000);

async function burst(setup: Awaited<ReturnType<typeof startSetup>>): Promise<void> {
  const finished = new Set<number>();
  const runners = new SimRunners(50, { address: setup.serverB, secret: setup.rpcSecret, behaviour: 'hangar', onAccepted: () => {}, onFinished: (s) => finished.add(s.build_id) });
  runners.start();
  const started = performance.now();
  const created = await createBurst(setup, 1000, 16);
  await until(async () => created.every((b) => finished.has(b.id)), 300_000, 20);
  console.log('builds/s', 1000 / ((performance.now() - started) / 1000));
  await runners.stop();
  for (const pid of setup.serverPids()) {
    process.kill(pid, 'SIGTERM');
    await until(async () => !existsSync(`/proc/${pid}/stat`) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '), 30_000);
  }
}
