// Scenario 4, failover (ha only): builds created through HAProxy at a steady rate onto 50 runners that
// connect through HAProxy; server A is killed with -9 a third of the way in. Counted: builds lost (created
// but never finished) and run twice (a stage accepted twice), the longest stall (a build waiting for a
// runner, or a runner stuck reporting a stage), and log lines missing from the stored logs.

import { expect, it } from 'vitest';
import { until } from '../../test/support/wait.js';
import { type CreatedBuild, createBuild } from '../support/builds.js';
import { type Figures, recordResult } from '../support/results.js';
import { type BenchSetup, NOOP_PIPELINE, describeSetups } from '../support/setup.js';
import { type Accepted, type RunnerBehaviour, SimRunners } from '../support/sim-runner.js';
import { size } from '../support/size.js';
import { delay, round } from '../support/stats.js';
import { waitParked } from '../support/parked.js';

const RUNNERS = size(50, 4);
const RATE_PER_S = size(20, 10);
const DURATION_MS = size(15_000, 3_000);
const LOG_LINES = 20;

describeSetups('failover', ['ha'], { pipeline: NOOP_PIPELINE }, (_kind, current) => {
  it('kills a server under dispatch load and counts what was lost, run twice or stalled', async () => {
    const setup = current();
    const hangar = await killUnderLoad(setup, 'hangar');
    await setup.cluster?.servers[0].start();
    const stock = await killUnderLoad(setup, 'stock');
    for (const run of [hangar, stock]) {
      expect(run.builds_lost).toBe(0);
      expect(run.builds_run_twice).toBe(0);
      expect(run.log_lines_lost).toBe(0);
    }
    recordResult('failover', 'ha', { ...hangar, runner: 'Hangar (retries from 250 ms)', stock_runner: { ...stock, runner: 'stock (10 s sleep after an error)' } }, [
      'failover runs on the ha setup only: a single server has nothing to fail over to.',
    ]);
  });
});

async function killUnderLoad(setup: BenchSetup, behaviour: RunnerBehaviour): Promise<Figures> {
  const accepts = new Map<number, Accepted[]>();
  const finished = new Set<number>();
  const runners = new SimRunners(RUNNERS, {
    address: setup.balanced,
    secret: setup.rpcSecret,
    behaviour,
    logLines: LOG_LINES,
    onAccepted: (a) => accepts.set(a.stage.id, [...(accepts.get(a.stage.id) ?? []), a]),
    onFinished: (stage) => finished.add(stage.build_id),
  });
  runners.start();
  const created: CreatedBuild[] = [];
  const createErrors: string[] = [];
  try {
    await waitParked(setup, RUNNERS);
    const count = Math.round((DURATION_MS / 1000) * RATE_PER_S);
    const started = performance.now();
    const killAt = started + DURATION_MS / 3;
    let killed: Promise<void> | undefined;
    const pending: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) {
      await delay(started + (i * 1000) / RATE_PER_S - performance.now());
      if (!killed && performance.now() >= killAt) killed = setup.cluster?.servers[0].kill('SIGKILL');
      pending.push(
        createBuild(setup, setup.balanced).then(
          (build) => void created.push(build),
          (err: Error) => void createErrors.push(/: (\d{3}) /.exec(err.message)?.[1] ?? err.message),
        ),
      );
    }
    await Promise.all(pending);
    await killed;
    // A build lost would never finish: wait for all, past the 30 s lease that resolves a lost stage.
    await until(async () => created.every((build) => finished.has(build.id)), 90_000, 50).catch(() => undefined);
  } finally {
    await runners.stop();
  }
  const acceptedAt = new Map<number, number>();
  for (const list of accepts.values()) for (const a of list) if (!acceptedAt.has(a.stage.build_id)) acceptedAt.set(a.stage.build_id, a.at);
  const waits = created.map((build) => (acceptedAt.get(build.id) ?? performance.now()) - build.answeredAt);
  return {
    builds_created: created.length,
    // A create in flight on the server that died: the client sees HAProxy's 502 (or a reset) and retries.
    create_errors: createErrors.length,
    create_error_answers: [...new Set(createErrors)].join(' ') || 'none',
    builds_lost: created.filter((build) => !finished.has(build.id)).length,
    builds_run_twice: [...accepts.values()].filter((list) => list.length > 1).length,
    longest_stall_ms: round(Math.max(Math.max(...waits), runners.longestFinishMs)),
    longest_queue_wait_ms: round(Math.max(...waits)),
    longest_report_ms: round(runners.longestFinishMs),
    log_lines_lost: await linesLost(setup, created),
    runner_errors: runners.errors.length,
  };
}

/** Lines missing from the stored logs of the builds (each step wrote LOG_LINES). */
async function linesLost(setup: BenchSetup, builds: CreatedBuild[]): Promise<number> {
  let lost = 0;
  for (const build of builds) {
    const lines = await setup.api<unknown[]>('GET', `/api/repos/${setup.slug}/builds/${build.number}/logs/1/1`, undefined, setup.balanced).catch(() => []);
    lost += LOG_LINES - lines.length;
  }
  return lost;
}
