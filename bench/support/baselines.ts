// The physical limits each figure is compared with, measured in the same run on the same machine:
// pgbench single-row UPDATEs on the cluster's PostgreSQL, the same UPDATE on SQLite with Hangar's pragmas,
// and redis-benchmark XADD on a Redis.

import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startRedis, stopRedis } from '../../test/support/redis.js';
import { shmTempDir } from '../../test/support/shm.js';
import { round } from './stats.js';

const run = promisify(execFile);
const PGBIN = '/usr/lib/postgresql/15/bin';

const UPDATE_SCRIPT = `\\set aid random(1, 100000)
UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;
`;

/** pgbench TPS for a single-row UPDATE (`-c 8`), in a database of its own on the cluster at `postgresUrl`. */
export async function pgbenchUpdateTps(postgresUrl: string, seconds: number): Promise<number> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  const database = `pgbench_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  const dir = await shmTempDir('hangar-pgbench-');
  try {
    await run(`${PGBIN}/pgbench`, ['-i', '-q', '-s', '1', url.toString()], { timeout: 120_000 });
    const script = join(dir, 'update.sql');
    await writeFile(script, UPDATE_SCRIPT);
    const { stdout } = await run(`${PGBIN}/pgbench`, ['-n', '-c', '8', '-j', '2', '-T', String(seconds), '-f', script, url.toString()], { timeout: (seconds + 60) * 1000 });
    const tps = /tps = ([\d.]+)/.exec(stdout);
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return round(Number(tps[1]), 1);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Single-row UPDATE transactions per second on SQLite, with the pragmas Hangar's store sets. */
export async function sqliteUpdateTps(seconds: number): Promise<number> {
  const dir = await shmTempDir('hangar-sqlitebench-');
  const db = new Database(join(dir, 'bench.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE accounts (aid INTEGER PRIMARY KEY, abalance INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO accounts (aid, abalance) VALUES (?, 0)');
    db.transaction(() => {
      for (let aid = 1; aid <= 100_000; aid++) insert.run(aid);
    })();
    const update = db.prepare('UPDATE accounts SET abalance = abalance + 1 WHERE aid = ?');
    const started = performance.now();
    const until = started + seconds * 1000;
    let count = 0;
    while (performance.now() < until) {
      for (let i = 0; i < 100; i++) update.run(1 + Math.floor(Math.random() * 100_000));
      count += 100;
    }
    return round(count / ((performance.now() - started) / 1000), 1);
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * redis-benchmark XADD/s on the Redis at `port` (or a throwaway one): 8 clients, pipelined by `pipeline`
 * commands as a server writes a runner's batch of lines.
 */
export async function redisXaddPerSecond(requests: number, pipeline: number, port?: number): Promise<number> {
  const throwaway = port === undefined ? await startRedis() : undefined;
  try {
    const target = port ?? throwaway?.port ?? 0;
    const { stdout } = await run('redis-benchmark', ['-h', '127.0.0.1', '-p', String(target), '-n', String(requests), '-c', '8', '-P', String(pipeline), '--csv', 'XADD', 'hangar-bench-baseline', 'MAXLEN', '~', '10000', '*', 'line', 'a-log-line-of-about-the-size-ci-writes-0123456789'], { timeout: 120_000 });
    const row = stdout.trim().split('\n').pop() ?? '';
    const perSecond = Number(/^"[^"]*","([\d.]+)"/.exec(row)?.[1]);
    if (!Number.isFinite(perSecond)) throw new Error(`redis-benchmark printed no rate:\n${stdout}`);
    return round(perSecond, 1);
  } finally {
    if (throwaway) await stopRedis(throwaway.dir, 'kill');
  }
}
