// Throwaway PostgreSQL for tests: start/stop a cluster through scripts/postgres-*.sh (so a test can kill
// and restart it) and hand out a fresh database per test file.

import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import pg from 'pg';

const run = promisify(execFile);
const scripts = fileURLToPath(new URL('../../scripts/', import.meta.url));

export interface PostgresCluster {
  /** Directory holding the data directory, socket, port file and log. */
  dir: string;
  /** URL of the `postgres` database, as the superuser. */
  url: string;
}

/** Starts (or restarts, keeping its port) the cluster in `dir`; a new temp dir when none is given. */
export async function startPostgres(dir?: string, port?: number): Promise<PostgresCluster> {
  const clusterDir = dir ?? (await mkdtemp(join(tmpdir(), 'hangar-pg-')));
  const args = [clusterDir, ...(port === undefined ? [] : [String(port)])];
  const { stdout } = await run(join(scripts, 'postgres-start.sh'), args, { timeout: 180_000 });
  const url = stdout.trim().split('\n').pop() ?? '';
  if (!url.startsWith('postgres://')) throw new Error(`postgres-start.sh printed no URL: ${stdout}`);
  return { dir: clusterDir, url };
}

/** `fast` disconnects clients cleanly; `immediate` is a crash (clients see their connection die). */
export async function stopPostgres(dir: string, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
  await run(join(scripts, 'postgres-stop.sh'), [dir, mode], { timeout: 60_000 });
}

let counter = 0;

/** Creates an empty database on the cluster at `url` and returns its URL. */
export async function createTestDatabase(url: string, prefix = 'hangar_test'): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  return databaseUrl.toString();
}
