// Not part of the suites: how a freshly started cluster's first builds compare with later ones. Builds are
// created one at a time by branch on server A, each taken by one of the simulated runners spread by HAProxy
// and created once the previous one shows its runner (the dispatch scenario's user view); prints the create
// request and the create-to-runner time in windows of builds, then for builds each created after the
// cluster sat idle for longer than a database connection's idle timeout (as between a team's pushes).
//   HANGAR_BENCH_INCLUDE=bench/profile/cold-start.profile.test.ts [HANGAR_PROFILE_CPU=1] \
//   npx vitest run --config bench/vitest.config.ts

import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { createUntilDispatched } from '../support/builds.js';
import { waitParked } from '../support/parked.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { trackedRunners } from '../support/sim-runner.js';
import { percentiles } from '../support/stats.js';
import { serverProfiling } from './cpu-profiling.js';

const BUILDS = 200;
const WINDOW = 20;
const RUNNERS = 20;
const AFTER_IDLE = 5;
/** Longer than node-postgres's idle timeout (10 s), after which an idle pool closes its connections. */
const IDLE_MS = 11_000;

it('times a fresh cluster’s first builds against later ones', async () => {
  const profiling = serverProfiling();
  const setup = await startSetup('ha', { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, env: profiling.env });
  const { runners } = trackedRunners(setup, RUNNERS);
  try {
    runners.start();
    await waitParked(setup, RUNNERS);
    const creates: number[] = [];
    const dispatches: number[] = [];
    const createOne = async () => {
      const { createMs, dispatchMs } = await createUntilDispatched(setup);
      creates.push(createMs);
      dispatches.push(dispatchMs);
    };
    for (let i = 0; i < BUILDS; i++) await createOne();
    for (let from = 0; from < BUILDS; from += WINDOW) {
      const create = percentiles(creates.slice(from, from + WINDOW));
      const dispatch = percentiles(dispatches.slice(from, from + WINDOW));
      console.log(`builds ${from + 1}–${from + WINDOW}: create p50 ${create.p50_ms} max ${create.max_ms} ms, to runner p50 ${dispatch.p50_ms} max ${dispatch.max_ms} ms`);
    }
    for (let i = 0; i < AFTER_IDLE; i++) {
      // The quiet period is the scenario itself, not a wait for something.
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      await createOne();
      console.log(`after ${IDLE_MS / 1000} s idle: create ${creates.at(-1)?.toFixed(1)} ms, to runner ${dispatches.at(-1)?.toFixed(1)} ms`);
    }
  } finally {
    await runners.stop();
    await profiling.report(setup);
    await setup.close();
  }
}, 600_000);
