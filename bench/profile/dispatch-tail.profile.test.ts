// Not part of the suites: the dispatch scenario's cross-server open loop (builds created on A, runners
// parked on B) after the same lifecycle burst, at several rates, with what can stall a request on the way:
// the machine's load, the servers' garbage-collection pauses (node's --trace-gc) and the load generator's
// own event-loop delay. Tells a slow dispatch path (a tail at any rate) from queueing on a busy machine
// (a tail that grows with the rate).
//   [HANGAR_PROFILE_RATES=10,20,40] [HANGAR_PROFILE_BUILDS=1000] [HANGAR_PROFILE_BEHAVIOUR=hangar] \
//   [HANGAR_PROFILE_SERVER_FLAGS=--single-threaded-gc] \
//   HANGAR_BENCH_INCLUDE=bench/profile/dispatch-tail.profile.test.ts npx vitest run --config bench/vitest.config.ts

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { until } from '../../test/support/wait.js';
import { type CreatedBuild, createAtRate } from '../support/builds.js';
import { lifecycleBurst } from '../support/burst.js';
import { waitParked } from '../support/parked.js';
import { type BenchSetup, NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { type RunnerBehaviour, SimRunners } from '../support/sim-runner.js';
import { delay, machineBusyDuring, percentiles, round } from '../support/stats.js';

const BUILDS = Number(process.env.HANGAR_PROFILE_BUILDS ?? 1000);

interface GcPauses {
  count: number;
  total_ms: number;
  max_ms: number;
  over_5ms: number;
}

it('measures the cross-server dispatch tail at several rates and what paused beside it', async () => {
  const flags = ['--trace-gc', ...(process.env.HANGAR_PROFILE_SERVER_FLAGS?.split(' ') ?? [])].filter(Boolean).join(' ');
  const setup = await startSetup('ha', { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE, env: { HANGAR_NODE_FLAGS: flags } });
  try {
    const lifecycle = await lifecycleBurst(setup, 50, 1000);
    const half = Math.min(100, Math.floor(lifecycle.buildsPerS / 2));
    const rates = process.env.HANGAR_PROFILE_RATES?.split(',').map(Number) ?? [Math.ceil(half / 4), Math.ceil(half / 2), half];
    console.log('lifecycle builds/s', lifecycle.buildsPerS, '; half of it', half);

    const accepts = new Map<number, number>();
    const behaviour = (process.env.HANGAR_PROFILE_BEHAVIOUR ?? 'stock') as RunnerBehaviour;
    const runners = new SimRunners(50, { address: setup.serverB, secret: setup.rpcSecret, behaviour, onAccepted: (a) => accepts.set(a.stage.build_id, a.at) });
    runners.start();
    try {
      await waitParked(setup, 50);
      for (const rate of rates) await openLoopAt(setup, rate, accepts);
    } finally {
      await runners.stop();
    }
    for (const rate of rates) await floorAt(setup, rate);
  } finally {
    await setup.close();
  }
}, 1_800_000);

async function openLoopAt(setup: BenchSetup, rate: number, accepts: Map<number, number>): Promise<void> {
  const outputs = serverOutputs(setup);
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  let created: CreatedBuild[] = [];
  const busy = await machineBusyDuring(async () => {
    created = await createAtRate(setup, BUILDS, rate);
  });
  await until(async () => created.every((build) => accepts.has(build.id)), 60_000, 10);
  loopDelay.disable();

  const total = created.map((b) => (accepts.get(b.id) ?? Number.NaN) - b.sentAt);
  console.log(`\n${rate} builds/s, machine ${busy} % busy`);
  console.log('  create to accept', JSON.stringify(percentiles(total)), '; over 15 ms:', total.filter((ms) => ms > 15).length);
  console.log('  create request', JSON.stringify(percentiles(created.map((b) => b.answeredAt - b.sentAt))));
  console.log('  load generator event-loop delay ms: p50', ms(loopDelay.percentile(50)), 'p99', ms(loopDelay.percentile(99)), 'max', ms(loopDelay.max));
  serverOutputs(setup).forEach((output, i) => console.log(`  server ${i + 1} GC pauses`, JSON.stringify(gcPauses(output.slice(outputs[i].length)))));
}

/**
 * The floor of one hop at `rate`/s on this machine, paced as the open loop is: an HTTP round trip to a
 * server that touches no database (`/healthz` on A), a PostgreSQL `SELECT 1` and a Redis `PING`.
 */
async function floorAt(setup: BenchSetup, rate: number): Promise<void> {
  const database = new pg.Client({ connectionString: setup.cluster?.databaseUrl });
  await database.connect();
  const redis = new Redis(setup.cluster?.redis.url ?? '');
  try {
    const hops: Record<string, () => Promise<unknown>> = {
      healthz: () => fetch(`${setup.serverA}/healthz`).then((response) => response.text()),
      'postgres SELECT 1': () => database.query('SELECT 1'),
      'redis PING': () => redis.ping(),
    };
    console.log(`\nfloor at ${rate} round trips/s`);
    for (const [name, hop] of Object.entries(hops)) {
      const samples: number[] = [];
      const started = performance.now();
      for (let i = 0; i < Math.min(BUILDS, 500); i++) {
        await delay(started + (i * 1000) / rate - performance.now());
        const sentAt = performance.now();
        await hop();
        samples.push(performance.now() - sentAt);
      }
      console.log(`  ${name}`, JSON.stringify(percentiles(samples)));
    }
  } finally {
    await database.end();
    redis.disconnect();
  }
}

function serverOutputs(setup: BenchSetup): string[] {
  return setup.cluster?.servers.map((server) => server.process?.output() ?? '') ?? [];
}

function ms(nanoseconds: number): number {
  return round(nanoseconds / 1e6, 1);
}

/** Pauses printed by --trace-gc, by kind (Scavenge, Mark-Compact): how many, their sum, the longest. */
function gcPauses(trace: string): Record<string, GcPauses> {
  const kinds: Record<string, GcPauses> = {};
  for (const match of trace.matchAll(/ms: ([A-Za-z-]+)[^,\n]*, ([\d.]+) \/ [\d.]+ ms/g)) {
    const pause = Number(match[2]);
    const kind = (kinds[match[1]] ??= { count: 0, total_ms: 0, max_ms: 0, over_5ms: 0 });
    kind.count++;
    kind.total_ms = round(kind.total_ms + pause, 1);
    kind.max_ms = Math.max(kind.max_ms, pause);
    if (pause > 5) kind.over_5ms++;
  }
  return kinds;
}
