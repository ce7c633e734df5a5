// Not part of the suites: `npx vitest run --config bench/vitest.config.ts bench/profile` writes CPU
// profiles of both servers (HANGAR_PROFILE_DIR) during a lifecycle burst.
import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { createBurst } from '../support/builds.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { SimRunners } from '../support/sim-runner.js';
import { until } from '../../test/support/wait.js';

it('profiles a lifecycle burst', async () => {
  const kind = (process.env.HANGAR_PROFILE_SETUP ?? 'ha') as 'ha' | 'single';
  const setup = await startSetup(kind, { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.HANGAR_PROFILE_DIR ?? '/tmp/hangar-prof'}` } });
  const finished = new Set<number>();
  const runners = new SimRunners(50, { address: setup.serverB, secret: setup.rpcSecret, behaviour: 'hangar', onAccepted: () => {}, onFinished: (s) => finished.add(s.build_id) });
  runners.start();
  const started = performance.now();
  const created = await createBurst(setup, 1000, 16);
  await until(async () => created.every((b) => finished.has(b.id)), 300_000, 20);
  console.log('builds/s', 1000 / ((performance.now() - started) / 1000));
  await runners.stop();
  if (setup.cluster) for (const server of setup.cluster.servers) await server.kill('SIGTERM');
  await setup.close();
}, 600_000);
