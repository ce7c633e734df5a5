// Not part of the suites: open-loop dispatch onto 50 stock runners spread by HAProxy, with each server's CPU
// and the machine's, to tell a slow path from a saturated machine.
//   HANGAR_PROFILE_RATE=40 HANGAR_BENCH_INCLUDE=bench/profile/spread.profile.test.ts \
//   npx vitest run --config bench/vitest.config.ts

import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { until } from '../../test/support/wait.js';
import { type CreatedBuild, createAtRate } from '../support/builds.js';
import { waitParked } from '../support/parked.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { SimRunners } from '../support/sim-runner.js';
import { cpuPercentDuring, machineBusyDuring, percentiles } from '../support/stats.js';

it('measures spread dispatch and where the CPU goes', async () => {
  const runnerCount = Number(process.env.HANGAR_PROFILE_RUNNERS ?? 50);
  const setup = await startSetup('ha', { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, servers: Number(process.env.HANGAR_PROFILE_SERVERS ?? 2) });
  try {
    const accepts = new Map<number, number>();
    const runners = new SimRunners(runnerCount, { address: setup.balanced, secret: setup.rpcSecret, behaviour: 'stock', onAccepted: (a) => accepts.set(a.stage.build_id, a.at) });
    runners.start();
    await waitParked(setup, runnerCount, 120_000);
    let created: CreatedBuild[] = [];
    let cpu: number[] = [];
    const busy = await machineBusyDuring(async () => {
      cpu = await cpuPercentDuring(setup.serverPids(), async () => {
        created = await createAtRate(setup, 300, Number(process.env.HANGAR_PROFILE_RATE ?? 48), setup.balanced);
      });
    });
    await until(async () => created.every((build) => accepts.has(build.id)), 60_000, 10);
    await runners.stop();
    console.log('create to accept', JSON.stringify(percentiles(created.map((b) => (accepts.get(b.id) ?? 0) - b.sentAt))));
    console.log('create request', JSON.stringify(percentiles(created.map((b) => b.answeredAt - b.sentAt))));
    console.log('server CPU %', cpu.join(' '), '; machine busy %', busy);
    console.log('runner errors', runners.errors.length, '; accept conflicts', runners.conflicts);
  } finally {
    await setup.close();
  }
}, 600_000);

