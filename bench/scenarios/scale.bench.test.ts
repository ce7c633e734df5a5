// Scenario 10, scale: 1,000 long-polling runners (runner-go's rules) spread by HAProxy over three servers,
// with builds offered at 50/s through the load balancer; each build's one stage runs to the end at once.
// Measured: create-to-accept latency, each server's CPU (% of one core) and memory, and how many accepts
// were lost to another runner (409). Simulated in the benchmark process: the runners are RPC clients.
// As in the dispatch scenario, latency is measured warm: 100 builds at the same rate go first (a server's
// first builds are slower, docs/PERFORMANCE.md "Cold servers"), and their figures are reported apart.
// The tail of one run follows the machine's own hiccups (p99 18–69 ms for the same code on one evening), so
// the 1,000 measured builds are offered three times over: the percentiles are of all of them, and each
// run's p50 and p99 are reported beside them.

import { expect, it } from 'vitest';
import { type CreatedBuild, createAtRate } from '../support/builds.js';
import { waitParked } from '../support/parked.js';
import { type Figures, recordResult } from '../support/results.js';
import { NOOP_PIPELINE, describeSetups } from '../support/setup.js';
import { trackedRunners } from '../support/sim-runner.js';
import { size } from '../support/size.js';
import { cpuPercentDuring, percentiles, round, rssMb } from '../support/stats.js';
import { until } from '../../test/support/wait.js';

const RUNNERS = size(1000, 30);
const SERVERS = 3;
const RATE_PER_S = size(50, 10);
const BUILDS = size(1000, 20);
const WARMUP_BUILDS = size(100, 5);
const RUNS = size(3, 1);

describeSetups('scale', ['ha'], { pipeline: NOOP_PIPELINE, servers: SERVERS }, (_kind, current) => {
  it('dispatches 50 builds/s onto 1,000 runners over three servers', async () => {
    const setup = current();
    const { runners, accepts, finished } = trackedRunners(setup, RUNNERS);
    runners.start();
    try {
      await waitParked(setup, RUNNERS, 120_000);
      const warmup = await createAtRate(setup, WARMUP_BUILDS, RATE_PER_S, setup.balanced);
      await until(async () => warmup.every((build) => finished.has(build.id)), 120_000, 20);
      const cold = percentiles(warmup.map((build) => (accepts.get(build.id) ?? Number.NaN) - build.sentAt));
      const pids = setup.serverPids();
      const created: CreatedBuild[][] = [];
      const cpu = await cpuPercentDuring(pids, async () => {
        for (let run = 0; run < RUNS; run++) {
          const part = await createAtRate(setup, BUILDS, RATE_PER_S, setup.balanced);
          await until(async () => part.every((build) => finished.has(build.id)), 120_000, 20);
          created.push(part);
        }
      });
      const toAccept = (builds: CreatedBuild[]) => builds.map((build) => (accepts.get(build.id) ?? Number.NaN) - build.sentAt);
      const latency = percentiles(created.flatMap(toAccept));
      const create = percentiles(created.flat().map((build) => build.answeredAt - build.sentAt));
      const byRun: Figures = {};
      for (const [i, builds] of created.entries()) {
        const run = percentiles(toAccept(builds));
        byRun[`run_${i + 1}`] = { p50_ms: run.p50_ms, p99_ms: run.p99_ms };
      }
      expect(runners.errors).toEqual([]);
      const figures: Figures = {
        runners: RUNNERS,
        servers: SERVERS,
        offered_builds_per_s: RATE_PER_S,
        builds: BUILDS,
        runs: RUNS,
        ...latency,
        by_run: byRun,
        create_request_p50_ms: create.p50_ms,
        create_request_p99_ms: create.p99_ms,
        warmup_builds: WARMUP_BUILDS,
        warmup_p50_ms: cold.p50_ms,
        warmup_p99_ms: cold.p99_ms,
        cpu_percent_per_server: Math.max(...cpu),
        rss_mb_per_server: Math.max(...pids.map(rssMb)),
        accept_conflicts: runners.conflicts,
        conflicts_per_build: round(runners.conflicts / (BUILDS * RUNS), 2),
      };
      recordResult('scale', 'ha', figures, ['scale runs 3 servers (not 2) behind HAProxy; runners and the load generator share the 2 cores with them, PostgreSQL and Redis']);
    } finally {
      await runners.stop();
    }
  });
});
