// Scenario 2, live logs: one stage of 20 steps, each writing 5,000 lines from a simulated runner attached
// to server A, while 50 viewers follow the steps' SSE streams on server B.
// - latency of a line from the moment the step wrote it to a viewer receiving it, with Hangar's runner
//   (flush every 100 ms) and a stock runner (flush every 1 s); and the server hop alone, from the batch
//   leaving the runner to the viewer receiving it.
// - ingest: the same lines sent as fast as the runner can, lines/s accepted by the server.
// Baseline: redis-benchmark XADD on the same Redis (single: on a throwaway Redis).

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import type { Line } from '../../src/core/types.js';
import { HANGAR_RETRY, RpcClient } from '../../src/runner/client.js';
import { until } from '../../test/support/wait.js';
import { redisXaddPerSecond } from '../support/baselines.js';
import { type Figures, recordResult } from '../support/results.js';
import { type BenchSetup, NOOP_PIPELINE, type SetupKind, startSetup } from '../support/setup.js';
import { runningBuild } from '../support/running-build.js';
import { size } from '../support/size.js';
import { delay, percentiles, ratio, round } from '../support/stats.js';
import { viewLog } from '../support/sse-viewer.js';

const STEPS = size(20, 2);
const LINES = size(5000, 50);
const VIEWERS = size(50, 4);
/** Per step: 20 steps × 250 lines/s is 5,000 lines/s into server A and 12,500 events/s out of server B. */
const LINES_PER_S = size(250, 100);
const INGEST_BATCH = 100;
const XADD_REQUESTS = size(200_000, 2_000);

interface Received {
  latencies: number[];
  hops: number[];
  /** Lines per viewer, and lines out of order or repeated. */
  counts: number[];
  disorder: number;
}

describe.each(['single', 'ha'] as const)('live logs on %s', (kind: SetupKind) => {
  let setup: BenchSetup;
  beforeAll(async () => {
    setup = await startSetup(kind, { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE });
  });
  afterAll(async () => setup?.close());

  it('measures line latency with both runner behaviours and the ingest rate, against XADD', async () => {
    const hangar = await followedRun(setup, 'paced', 100);
    const stock = await followedRun(setup, 'paced', 1000);
    const ingest = await followedRun(setup, 'burst', 0);
    const baseline = await redisXaddPerSecond(XADD_REQUESTS, setup.cluster?.redis.port);

    for (const run of [hangar, stock, ingest]) {
      expect(run.received.counts).toEqual(Array.from({ length: VIEWERS }, () => LINES));
      expect(run.received.disorder).toBe(0);
    }
    const ingestPerS = round((STEPS * LINES) / (ingest.writeMs / 1000), 1);
    const figures: Figures = {
      ...summary(hangar.received),
      runner: 'Hangar (flush every 100 ms)',
      steps: STEPS,
      lines_per_step: LINES,
      viewers: VIEWERS,
      written_lines_per_s: STEPS * LINES_PER_S,
      stock_runner: { ...summary(stock.received), runner: 'stock (flush every 1 s)' },
      ingest: {
        lines_per_s: ingestPerS,
        batch_lines: INGEST_BATCH,
        all_viewers_complete_ms: round(ingest.completeMs),
        baseline: kind === 'ha' ? 'redis-benchmark XADD -c 8, same Redis' : 'redis-benchmark XADD -c 8, throwaway Redis',
        baseline_xadd_per_s: baseline,
        ratio: ratio(ingestPerS, baseline),
      },
      lines_lost: 0,
    };
    recordResult('logs', kind, figures);
  });
});

function summary(received: Received): Figures {
  const latency = percentiles(received.latencies);
  const hop = percentiles(received.hops);
  return { p50_ms: latency.p50_ms, p95_ms: latency.p95_ms, p99_ms: latency.p99_ms, max_ms: latency.max_ms, hop_p50_ms: hop.p50_ms, hop_p99_ms: hop.p99_ms };
}

/** One build followed by VIEWERS viewers on server B while its steps write their lines. */
async function followedRun(setup: BenchSetup, pace: 'paced' | 'burst', flushMs: number): Promise<{ received: Received; writeMs: number; completeMs: number }> {
  const client = new RpcClient({ address: setup.serverA, secret: setup.rpcSecret, retry: HANGAR_RETRY });
  try {
    const { stage, number } = await runningBuild(setup, client, STEPS);
    const received: Received = { latencies: [], hops: [], counts: Array.from({ length: VIEWERS }, () => 0), disorder: 0 };
    const viewers = Array.from({ length: VIEWERS }, (_, v) => {
      let last = -1;
      const step = (v % STEPS) + 1;
      return viewLog(`${setup.serverB}/api/stream/${setup.slug}/${number}/1/${step}`, setup.token, (line, receivedAt) => {
        const [writtenAt, sentAt] = line.out.split(' ').map(Number);
        received.latencies.push(receivedAt - writtenAt);
        received.hops.push(receivedAt - sentAt);
        if (line.pos !== last + 1) received.disorder++;
        last = line.pos;
        received.counts[v]++;
      });
    });
    await Promise.all(viewers.map((viewer) => viewer.connected));

    const started = performance.now();
    const written = await Promise.all(
      (stage.steps ?? []).map((step) => (pace === 'paced' ? pacedWriter(client, step.id, flushMs) : burstWriter(client, step.id))),
    );
    const writeMs = performance.now() - started;
    await until(async () => received.counts.every((count) => count >= LINES), 120_000, 20);
    const completeMs = performance.now() - started;

    // The runner ends the step as it would: the full log uploaded, the stage finished; viewers get eof.
    await Promise.all((stage.steps ?? []).map((step, i) => client.upload(step.id, written[i])));
    const stopped = Math.floor(Date.now() / 1000);
    await client.updateStage({ ...stage, status: 'success', stopped, steps: stage.steps?.map((s) => ({ ...s, status: 'success', stopped })) });
    await Promise.all(viewers.map((viewer) => viewer.ended));
    return { received, writeMs, completeMs };
  } finally {
    client.close();
  }
}

function line(pos: number, writtenAt: number, sentAt: number): Line {
  return { pos, out: `${writtenAt.toFixed(3)} ${sentAt.toFixed(3)} line ${pos}\n`, time: Math.floor(pos / LINES_PER_S) };
}

/** A step printing LINES_PER_S lines a second, sent in a batch every `flushMs` as a runner does. */
async function pacedWriter(client: RpcClient, stepId: number, flushMs: number): Promise<Line[]> {
  const all: Line[] = [];
  const started = performance.now();
  for (let tick = 1; all.length < LINES; tick++) {
    await delay(started + tick * flushMs - performance.now());
    const sentAt = performance.now();
    const due = Math.min(LINES, Math.floor(((sentAt - started) / 1000) * LINES_PER_S));
    const batch: Line[] = [];
    for (let pos = all.length; pos < due; pos++) batch.push(line(pos, started + (pos * 1000) / LINES_PER_S, sentAt));
    if (batch.length === 0) continue;
    all.push(...batch);
    await client.batch(stepId, batch);
  }
  return all;
}

/** A step whose lines are all ready: batches of INGEST_BATCH sent back to back. */
async function burstWriter(client: RpcClient, stepId: number): Promise<Line[]> {
  const all: Line[] = [];
  while (all.length < LINES) {
    const sentAt = performance.now();
    const batch = Array.from({ length: Math.min(INGEST_BATCH, LINES - all.length) }, (_, i) => line(all.length + i, sentAt, sentAt));
    all.push(...batch);
    await client.batch(stepId, batch);
  }
  return all;
}
