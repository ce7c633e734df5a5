// Live logs over Redis Streams, against a real Redis: a batch's last position is its entry id (repeats
// rejected by Redis), every tail on any server sees the same order, an end reaches every tail, and a late tail
// starts from the position it asks for.

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Line } from '../../../src/core/types.js';
import { RedisLiveLog } from '../../../src/livelog/redis.js';
import { type RedisInstance, startRedis, stopRedis } from '../../support/redis.js';
import { until } from '../../support/wait.js';

describe('Redis live logs', () => {
  let redis: RedisInstance;
  const clients: Redis[] = [];
  const logs: RedisLiveLog[] = [];

  /** A server's view: its own command and tailer connections. */
  function server(): RedisLiveLog {
    const commands = new Redis(redis.url, { enableOfflineQueue: true });
    const tailer = new Redis(redis.url);
    clients.push(commands, tailer);
    const log = new RedisLiveLog({ commands, tailer });
    logs.push(log);
    return log;
  }

  function follow(log: RedisLiveLog, stepId: number, after: number) {
    const lines: Line[] = [];
    let ended = false;
    const stop = log.tail(stepId, after, (line) => lines.push(line), () => (ended = true));
    return { lines, ended: () => ended, stop };
  }

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const log of logs) await log.shutdown();
    for (const client of clients) client.disconnect();
    await stopRedis(redis.dir);
  });

  const line = (pos: number): Line => ({ pos, out: `line ${pos}\n`, time: 0 });

  it('shows lines written on one server to tails on another, in order, without repeats, until the end', async () => {
    const a = server();
    const b = server();
    const viewer = follow(b, 101, -1);
    a.open(101);
    await a.write(101, [line(0), line(1)]);
    await a.write(101, [line(1), line(2)]); // a repeated batch
    await b.write(101, [line(3)]); // another server received the next batch
    await until(async () => viewer.lines.length === 4, 5_000, 10);
    b.write(101, [line(2)]); // a late line below the top: dropped from the live view
    a.close(101);
    await until(async () => viewer.ended(), 5_000, 10);
    expect(viewer.lines.map((l) => l.pos)).toEqual([0, 1, 2, 3]);
    // After the end nothing more is accepted.
    a.write(101, [line(4)]);
    const late = follow(b, 101, -1);
    await until(async () => late.ended(), 5_000, 10);
    expect(late.lines.map((l) => l.pos)).toEqual([0, 1, 2, 3]);
  });

  it('starts a late tail after the position it asks for', async () => {
    const a = server();
    a.write(202, [line(0), line(1), line(2), line(3)]);
    const resumed = follow(server(), 202, 1);
    await until(async () => resumed.lines.length === 2, 5_000, 10);
    expect(resumed.lines.map((l) => l.pos)).toEqual([2, 3]);
    a.write(202, [line(4)]);
    await until(async () => resumed.lines.length === 3, 5_000, 10);
    resumed.stop();
  });

  it('reads a stream begun by a server that wrote an entry per line (a rolling upgrade), then batches', async () => {
    const older = new Redis(redis.url);
    clients.push(older);
    for (const pos of [0, 1]) await older.xadd('drone-log-404', `${pos + 1}-0`, 'line', JSON.stringify(line(pos)));
    const a = server();
    const viewer = follow(server(), 404, -1);
    await a.write(404, [line(1), line(2), line(3)]);
    await until(async () => viewer.lines.length === 4, 5_000, 10);
    expect(viewer.lines.map((l) => l.pos)).toEqual([0, 1, 2, 3]);
    viewer.stop();
  });

  it('keeps about the last 10,000 positions of a long step, whatever its batch sizes', async () => {
    const a = server();
    for (let start = 0; start < 30_000; start += 5_000) {
      await a.write(505, Array.from({ length: 5_000 }, (_, i) => line(start + i)));
    }
    const admin = new Redis(redis.url);
    clients.push(admin);
    const entries = (await admin.xrange('drone-log-505', '-', '+')) as Array<[string, string[]]>;
    const firstKept = JSON.parse(entries[0][1][1])[0].pos as number;
    expect(firstKept).toBeGreaterThan(10_000);
    expect(firstKept).toBeLessThanOrEqual(20_000);
    const resumed = follow(a, 505, 29_990);
    await until(async () => resumed.lines.length === 9, 5_000, 10);
    resumed.stop();
  });

  it('delivers a new line to a waiting tail within a few milliseconds', async () => {
    const a = server();
    const b = server();
    const viewer = follow(b, 303, -1);
    a.write(303, [line(0)]);
    await until(async () => viewer.lines.length === 1, 5_000, 5);
    const written = Date.now();
    a.write(303, [line(1)]);
    await until(async () => viewer.lines.length === 2, 5_000, 1);
    // A generous bound (speed belongs to the benchmarks): far below the 1 s block of the tailer's read.
    expect(Date.now() - written).toBeLessThan(250);
    viewer.stop();
  });
});
