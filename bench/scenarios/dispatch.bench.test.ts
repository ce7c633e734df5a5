// Scenario 1, dispatch: one-stage no-op builds and 50 simulated runners.
// - latency, open loop: builds created on server A at half the measured capacity onto idle runners parked
//   on server B (the case where stock Drone waits ~40 s), again with runners spread by HAProxy, and again
//   with Hangar's runner behaviour; from the create request to the accept answer.
// - throughput: a burst of builds, builds/s over the whole lifecycle, and reserve+accept/s alone.
// Baseline: pgbench single-row UPDATE TPS on the same PostgreSQL (SQLite: the same UPDATE with our pragmas).

import { expect, it } from 'vitest';
import { pgbenchUpdateTps, sqliteUpdateTps } from '../support/baselines.js';
import { type CreatedBuild, createAtRate, createBurst, createUntilDispatched } from '../support/builds.js';
import { lifecycleBurst } from '../support/burst.js';
import { waitParked } from '../support/parked.js';
import { type Figures, recordResult } from '../support/results.js';
import { type BenchSetup, NOOP_PIPELINE, describeSetups } from '../support/setup.js';
import { type Accepted, type RunnerBehaviour, SimRunners } from '../support/sim-runner.js';
import { size } from '../support/size.js';
import { countStatements } from '../support/statements.js';
import { percentiles, ratio, round } from '../support/stats.js';
import { until } from '../../test/support/wait.js';

const RUNNERS = size(50, 4);
const BURST = size(1000, 20);
// A p99 of 300 builds is their third slowest: one hiccup of the machine moves it. 1,000 builds make it the
// tenth slowest.
const LATENCY_BUILDS = size(1000, 10);
const API_VIEW_BUILDS = size(200, 5);
const BASELINE_SECONDS = size(10, 1);
/** The open-loop rate never goes above this, whatever the capacity: latency, not throughput, is measured. */
const MAX_RATE_PER_S = 100;

describeSetups('dispatch', ['single', 'ha'], { pipeline: NOOP_PIPELINE }, (kind, current) => {
  it('measures throughput, then open-loop latency, against the database baseline', async () => {
    const setup = current();
    const counting = kind === 'ha' ? await countStatements(setup.cluster?.databaseUrl ?? '') : undefined;
    const lifecycle = await lifecycleBurst(setup, RUNNERS, BURST);
    const statements = await counting?.stop();
    expect(lifecycle.errors).toEqual([]);
    const reserveAccept = await burstReserveAccept(setup);
    const baseline = kind === 'ha' ? await pgbenchUpdateTps(setup.cluster?.databaseUrl ?? '', BASELINE_SECONDS) : await sqliteUpdateTps(BASELINE_SECONDS);
    const rate = Math.max(1, Math.min(MAX_RATE_PER_S, Math.floor(lifecycle.buildsPerS / 2)));

    const pinned = await openLoop(setup, setup.serverB, 'stock', rate);
    const hangarRunner = await openLoop(setup, setup.serverB, 'hangar', rate);
    const spread = kind === 'ha' ? await openLoop(setup, setup.balanced, 'stock', rate) : undefined;
    const apiView = await asUserSees(setup);

    const figures: Figures = {
      ...pinned,
      runners: RUNNERS,
      runners_on: kind === 'ha' ? 'server B (builds created on A)' : 'the server',
      ...(spread ? { spread } : {}),
      hangar_runner: hangarRunner,
      api_view: apiView,
      burst: {
        builds: BURST,
        lifecycle_builds_per_s: lifecycle.buildsPerS,
        create_builds_per_s: reserveAccept.create_per_s,
        reserve_accept_per_s: reserveAccept.per_s,
        baseline: kind === 'ha' ? 'pgbench single-row UPDATE, -c 8, same PostgreSQL' : 'single-row UPDATE on SQLite (WAL, synchronous=NORMAL)',
        baseline_tps_per_s: baseline,
        lifecycle_ratio: ratio(lifecycle.buildsPerS, baseline),
        reserve_accept_ratio: ratio(reserveAccept.per_s, baseline),
        ...(statements ? { statements_per_build: round(statements.statements / BURST, 1), commits_per_build: round(statements.commits / BURST, 1) } : {}),
      },
    };
    recordResult('dispatch', kind, figures);
    expect(pinned.count).toBe(LATENCY_BUILDS);
  });
});

/**
 * Dispatch as a user or a dashboard sees it: a build created on server A by branch (the server resolves
 * the commit), then `GET …/builds/{n}` on A until its stage names a runner; runners spread by the load
 * balancer, one build at a time.
 */
async function asUserSees(setup: BenchSetup): Promise<Figures> {
  const runners = new SimRunners(RUNNERS, { address: setup.balanced, secret: setup.rpcSecret, behaviour: 'stock', onAccepted: () => {} });
  runners.start();
  try {
    await waitParked(setup, RUNNERS);
    const total: number[] = [];
    const create: number[] = [];
    for (let i = 0; i < API_VIEW_BUILDS; i++) {
      const { createMs, dispatchMs } = await createUntilDispatched(setup);
      create.push(createMs);
      total.push(dispatchMs);
    }
    expect(runners.errors).toEqual([]);
    const created = percentiles(create);
    return {
      ...percentiles(total),
      runners_on: 'the load balancer',
      create_request_p50_ms: created.p50_ms,
      create_request_p99_ms: created.p99_ms,
      create_request_p99_over_p50: round(created.p99_ms / created.p50_ms, 2),
    };
  } finally {
    await runners.stop();
  }
}

/** A queue of builds first, then runners that only reserve and accept: stages/s until the last is taken. */
async function burstReserveAccept(setup: BenchSetup): Promise<{ per_s: number; create_per_s: number }> {
  const createdAt = performance.now();
  const created = await createBurst(setup, BURST, 16);
  const createPerS = round(BURST / ((performance.now() - createdAt) / 1000), 1);
  const accepted: Accepted[] = [];
  const wanted = new Set(created.map((build) => build.id));
  const runners = new SimRunners(RUNNERS, { address: setup.serverB, secret: setup.rpcSecret, behaviour: 'hangar', mode: 'hold', onAccepted: (a) => wanted.has(a.stage.build_id) && accepted.push(a) });
  const started = performance.now();
  runners.start();
  try {
    await until(async () => accepted.length >= BURST, 300_000, 10);
    const elapsedS = (Math.max(...accepted.map((a) => a.at)) - started) / 1000;
    return { per_s: round(BURST / elapsedS, 1), create_per_s: createPerS };
  } finally {
    await runners.stop();
    await runners.finishHeld(accepted.map((a) => a.stage));
    expect(runners.errors).toEqual([]);
  }
}

/** Builds created on A at `rate`/s onto `RUNNERS` parked runners at `runnersAt`; create-to-accept percentiles. */
async function openLoop(setup: BenchSetup, runnersAt: string, behaviour: RunnerBehaviour, rate: number): Promise<Figures> {
  const accepts = new Map<number, number>();
  const runners = new SimRunners(RUNNERS, { address: runnersAt, secret: setup.rpcSecret, behaviour, onAccepted: (a) => accepts.set(a.stage.build_id, a.at) });
  runners.start();
  try {
    await waitParked(setup, RUNNERS);
    const created: CreatedBuild[] = await createAtRate(setup, LATENCY_BUILDS, rate);
    await until(async () => created.every((build) => accepts.has(build.id)), 60_000, 10);
    const latencies = created.map((build) => (accepts.get(build.id) ?? Number.NaN) - build.sentAt);
    const createAnswer = percentiles(created.map((build) => build.answeredAt - build.sentAt));
    // From the API's answer (the build is committed by then) to the accept; negative when the runner had
    // the stage before the creator had its answer.
    const afterAnswer = percentiles(created.map((build) => (accepts.get(build.id) ?? Number.NaN) - build.answeredAt));
    expect(runners.errors).toEqual([]);
    return {
      ...percentiles(latencies),
      rate_per_s: rate,
      create_request_p50_ms: createAnswer.p50_ms,
      create_request_p99_ms: createAnswer.p99_ms,
      after_create_answer_p50_ms: afterAnswer.p50_ms,
      after_create_answer_p99_ms: afterAnswer.p99_ms,
    };
  } finally {
    await runners.stop();
  }
}
