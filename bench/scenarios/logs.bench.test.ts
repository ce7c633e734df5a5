// Scenario 2, live logs: one stage of 20 steps, each writing 5,000 lines from a simulated runner attached
// to server A, while 50 viewers follow the steps' SSE streams on server B.
// - latency of a line from the moment the step wrote it to a viewer receiving it, with Hangar's runner
//   (flush every 100 ms) and a stock runner (flush every 1 s); and the server hop alone, from the batch
//   leaving the runner to the viewer receiving it.
// - ingest: the same lines sent as fast as the runner can, lines/s accepted by the server.
// Baseline: redis-benchmark XADD on the same Redis (single: on a throwaway Redis).

import { expect, it } from 'vitest';
import { DEFAULT_LOG_FLUSH_MS } from '../../src/config/runner.js';
import type { Line } from '../../src/core/types.js';
import { HANGAR_RETRY, RpcClient } from '../../src/runner/client.js';
import { LogWriter } from '../../src/runner/livelog.js';
import { Masker } from '../../src/runner/mask.js';
import { until } from '../../test/support/wait.js';
import { redisXaddPerSecond } from '../support/baselines.js';
import { type Figures, recordResult } from '../support/results.js';
import { type BenchSetup, NOOP_PIPELINE, describeSetups } from '../support/setup.js';
import { runningBuild } from '../support/running-build.js';
import { reportSuccess } from '../support/sim-runner.js';
import { size } from '../support/size.js';
import { delay, percentiles, ratio, round } from '../support/stats.js';
import { viewLog } from '../support/sse-viewer.js';

const STEPS = size(20, 2);
const LINES = size(5000, 50);
const VIEWERS = size(50, 4);
/** Per step: 20 steps × 250 lines/s is 5,000 lines/s into server A and 12,500 events/s out of server B. */
const LINES_PER_S = size(250, 100);
const INGEST_BATCH = 100;
/** Hangar's runner default (HANGAR_LOG_FLUSH) and runner-go's fixed interval. */
const HANGAR_FLUSH_MS = DEFAULT_LOG_FLUSH_MS;
const STOCK_FLUSH_MS = 1000;
/** Replaced by the batch's send time as it leaves the runner. */
const SENT = '@sent@';
const XADD_REQUESTS = size(1_000_000, 2_000);
/** A quiet step: a line every 250 ms (a compiler's progress), where a line no longer waits for a batch. */
const SPARSE: Pace = { lines: size(20, 4), perS: 4 };

interface Pace {
  lines: number;
  perS: number;
}
const BUSY: Pace = { lines: LINES, perS: LINES_PER_S };

interface Received {
  latencies: number[];
  hops: number[];
  /** Lines per viewer, and lines out of order or repeated. */
  counts: number[];
  disorder: number;
}

describeSetups('live logs', ['single', 'ha'], { pipeline: NOOP_PIPELINE }, (kind, current) => {
  it('measures line latency with both runner behaviours and the ingest rate, against XADD', async () => {
    const setup = current();
    const hangar = await followedRun(setup, 'hangar', BUSY);
    const stock = await followedRun(setup, 'stock', BUSY);
    const ingest = await followedRun(setup, 'burst', BUSY);
    const sparseHangar = await followedRun(setup, 'hangar', SPARSE);
    const sparseStock = await followedRun(setup, 'stock', SPARSE);
    const baseline = await redisXaddPerSecond(XADD_REQUESTS, INGEST_BATCH, setup.cluster?.redis.port);

    for (const [run, pace] of [[hangar, BUSY], [stock, BUSY], [ingest, BUSY], [sparseHangar, SPARSE], [sparseStock, SPARSE]] as const) {
      expect(run.received.counts).toEqual(Array.from({ length: VIEWERS }, () => pace.lines));
      expect(run.received.disorder).toBe(0);
    }
    const ingestPerS = round((STEPS * LINES) / (ingest.writeMs / 1000), 1);
    const figures: Figures = {
      ...summary(hangar.received),
      runner: `Hangar's log writer (src/runner/livelog.ts, at most one batch per ${HANGAR_FLUSH_MS} ms)`,
      steps: STEPS,
      lines_per_step: LINES,
      viewers: VIEWERS,
      written_lines_per_s: STEPS * LINES_PER_S,
      stock_runner: { ...summary(stock.received), runner: `stock (a batch every ${STOCK_FLUSH_MS} ms)` },
      ingest: {
        lines_per_s: ingestPerS,
        batch_lines: INGEST_BATCH,
        all_viewers_complete_ms: round(ingest.completeMs),
        baseline: `redis-benchmark XADD -c 8 -P ${INGEST_BATCH}, ${kind === 'ha' ? 'same' : 'throwaway'} Redis`,
        baseline_xadd_per_s: baseline,
        ratio: ratio(ingestPerS, baseline),
      },
      sparse: {
        lines_per_s_per_step: SPARSE.perS,
        hangar_runner: summary(sparseHangar.received),
        stock_runner: summary(sparseStock.received),
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
async function followedRun(setup: BenchSetup, writer: 'hangar' | 'stock' | 'burst', pace: Pace): Promise<{ received: Received; writeMs: number; completeMs: number }> {
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
    const write = { hangar: hangarWriter, stock: stockWriter, burst: burstWriter }[writer];
    const written = await Promise.all((stage.steps ?? []).map((step) => write(client, step.id, pace)));
    const writeMs = performance.now() - started;
    await until(async () => received.counts.every((count) => count >= pace.lines), 120_000, 20);
    const completeMs = performance.now() - started;

    // The runner ends the step as it would: the full log uploaded, the stage finished; viewers get eof.
    await Promise.all((stage.steps ?? []).map((step, i) => written[i].length > 0 && client.upload(step.id, written[i])));
    await reportSuccess(client, stage);
    await Promise.all(viewers.map((viewer) => viewer.ended));
    return { received, writeMs, completeMs };
  } finally {
    client.close();
  }
}

/** A line's text carries when it was printed and when its batch left (both performance.now()). */
function lineText(pos: number, writtenAt: number, sentAt: string): string {
  return `${writtenAt.toFixed(3)} ${sentAt} line ${pos}\n`;
}

function line(pos: number, writtenAt: number, sentAt: number): Line {
  return { pos, out: lineText(pos, writtenAt, sentAt.toFixed(3)), time: 0 };
}

/** When line `pos` of a step started at `started` is printed. */
function printedAt(pace: Pace, started: number, pos: number): number {
  return started + (pos * 1000) / pace.perS;
}

/** How many lines a step started at `started` has printed by `now`. */
function printedBy(pace: Pace, started: number, now: number): number {
  return Math.min(pace.lines, Math.floor(((now - started) / 1000) * pace.perS) + 1);
}

/**
 * A step printing `pace.perS` lines a second through Hangar's own log writer; the batches leave through a
 * sink that stamps their send time. The writer uploads the log itself (the returned list is empty).
 */
async function hangarWriter(client: RpcClient, stepId: number, pace: Pace): Promise<Line[]> {
  const writer = new LogWriter(
    {
      batch: (lines) => {
        const sentAt = performance.now().toFixed(3);
        return client.batch(stepId, lines.map((l) => ({ ...l, out: l.out.replace(SENT, sentAt) })));
      },
      upload: (lines) => client.upload(stepId, lines),
    },
    new Masker([]),
    { flushMs: HANGAR_FLUSH_MS },
  );
  const started = performance.now();
  for (let written = 0; written < pace.lines; ) {
    // Wake when the next line is due (at most every 10 ms, as a process's output arrives in chunks), and
    // write every line due by then.
    await delay(Math.max(10, printedAt(pace, started, written) - performance.now()));
    const due = printedBy(pace, started, performance.now());
    let text = '';
    for (; written < due; written++) text += lineText(written, printedAt(pace, started, written), SENT);
    writer.write(text);
  }
  await writer.close();
  return [];
}

/** The same step as a stock runner sends it: what was printed goes in a batch every STOCK_FLUSH_MS. */
async function stockWriter(client: RpcClient, stepId: number, pace: Pace): Promise<Line[]> {
  const all: Line[] = [];
  const started = performance.now();
  for (let tick = 1; all.length < pace.lines; tick++) {
    await delay(started + tick * STOCK_FLUSH_MS - performance.now());
    const sentAt = performance.now();
    const due = printedBy(pace, started, sentAt);
    const batch: Line[] = [];
    for (let pos = all.length; pos < due; pos++) batch.push(line(pos, printedAt(pace, started, pos), sentAt));
    if (batch.length === 0) continue;
    all.push(...batch);
    await client.batch(stepId, batch);
  }
  return all;
}

/** A step whose lines are all ready: batches of INGEST_BATCH sent back to back. */
async function burstWriter(client: RpcClient, stepId: number, pace: Pace): Promise<Line[]> {
  const all: Line[] = [];
  while (all.length < pace.lines) {
    const sentAt = performance.now();
    const batch = Array.from({ length: Math.min(INGEST_BATCH, pace.lines - all.length) }, (_, i) => line(all.length + i, sentAt, sentAt));
    all.push(...batch);
    await client.batch(stepId, batch);
  }
  return all;
}
