import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';

import { openDatabase, type OpenDatabase } from '../../../src/store/db.js';
import { isTransientError } from '../../../src/store/dialect.js';
import { DatabaseInUseError } from '../../../src/store/sqlite-lock.js';
import { createTestDatabase, startPostgres, stopPostgres } from '../../support/postgres.js';

const opened: OpenDatabase[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

function tempSqlitePath(): string {
  return join(mkdtempSync(join(tmpdir(), 'hangar-db-')), 'core.sqlite');
}

async function open(options: Parameters<typeof openDatabase>[0]): Promise<OpenDatabase> {
  const store = await openDatabase(options);
  opened.push(store);
  return store;
}

describe('SQLite', () => {
  it('runs in WAL mode with a busy timeout and foreign keys off', async () => {
    const { db, dialect } = await open({ driver: 'sqlite3', datasource: tempSqlitePath() });
    expect(dialect).toBe('sqlite');
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
    const fks = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    expect(journal.rows[0]!.journal_mode).toBe('wal');
    expect(busy.rows[0]!.timeout).toBeGreaterThan(0);
    expect(fks.rows[0]!.foreign_keys).toBe(0);
  });

  it('binds booleans as 0/1', async () => {
    const { db } = await open({ driver: 'sqlite3', datasource: ':memory:' });
    const { rows } = await sql<{ t: number; f: number }>`select ${true} as t, ${false} as f`.execute(db);
    expect(rows[0]).toEqual({ t: 1, f: 0 });
  });

  it('refuses a second opener of the same file until the first closes', async () => {
    const path = tempSqlitePath();
    const first = await openDatabase({ driver: 'sqlite3', datasource: path });

    await expect(openDatabase({ driver: 'sqlite3', datasource: path })).rejects.toThrow(DatabaseInUseError);
    await expect(openDatabase({ driver: 'sqlite3', datasource: `file:${path}?cache=shared` })).rejects.toThrow(
      /in use by another Hangar server \(pid \d+/,
    );

    await first.close();
    const second = await open({ driver: 'sqlite3', datasource: path });
    expect((await sql<{ one: number }>`select 1 as one`.execute(second.db)).rows[0]!.one).toBe(1);
  });

  it('refuses while another process holds the file, and takes over once that process died', async () => {
    const path = tempSqlitePath();
    // Another server: holds the exclusive lock on the companion lock database, as lockSqliteFile does.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.pragma('locking_mode = EXCLUSIVE');
         db.exec('CREATE TABLE IF NOT EXISTS owner (pid INTEGER); DELETE FROM owner;');
         console.log('locked');
         setInterval(() => {}, 1000);`,
        `${path}-hangar.lock`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(holder);
    const [line] = (await once(holder.stdout!, 'data')) as [Buffer];
    expect(line.toString().trim()).toBe('locked');

    await expect(openDatabase({ driver: 'sqlite3', datasource: path })).rejects.toThrow(DatabaseInUseError);

    holder.kill('SIGKILL');
    await once(holder, 'exit');
    const store = await open({ driver: 'sqlite3', datasource: path });
    expect(store.dialect).toBe('sqlite');
  });
});

describe('PostgreSQL', () => {
  it('returns int8 values as numbers', async () => {
    const { db, dialect } = await open({ driver: 'postgres', datasource: await createTestDatabase(inject('postgresUrl')) });
    expect(dialect).toBe('postgres');
    const { rows } = await sql<{ n: unknown; c: unknown }>`select 9007199254740991::bigint as n, count(*) as c from pg_class`.execute(db);
    expect(rows[0]!.n).toBe(9007199254740991);
    expect(typeof rows[0]!.c).toBe('number');
  });

  it('sizes the pool from maxConnections', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const { db } = await open({ driver: 'postgres', datasource: url, maxConnections: 2 });
    const monitor = new pg.Client({ connectionString: url });
    await monitor.connect();
    try {
      const sleeps = [1, 2, 3, 4].map(() => sql`select pg_sleep(0.3)`.execute(db));
      await sql`select 1`.execute(db); // queued behind the sleeps, so both pool connections are open now
      const { rows } = await monitor.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      );
      await Promise.all(sleeps);
      expect(rows[0]!.n).toBe(2);
    } finally {
      await monitor.end();
    }
  });

  it('accepts lib/pq key=value datasources', async () => {
    const url = new URL(await createTestDatabase(inject('postgresUrl')));
    const datasource = `host=${url.hostname} port=${url.port} user=postgres dbname=${url.pathname.slice(1)} sslmode=disable`;
    const { db } = await open({ driver: 'postgres', datasource });
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
    expect(rows[0]!.name).toBe(url.pathname.slice(1));
  });

  it('fails fast, with a transient error, when nothing listens', async () => {
    const { db } = await open({ driver: 'postgres', datasource: 'postgres://postgres@127.0.0.1:1/postgres', connectTimeoutMs: 2000 });
    const error = await sql`select 1`.execute(db).then(() => undefined, (err: unknown) => err);
    expect(error).toBeDefined();
    expect(isTransientError(error)).toBe(true);
  });

  it('reports a lost server as transient and reconnects after it restarts', async () => {
    const dir = inject('postgresDir');
    if (!dir) return; // an external cluster is not ours to restart
    const url = await createTestDatabase(inject('postgresUrl'));
    const poolErrors: Error[] = [];
    const { db } = await open({ driver: 'postgres', datasource: url, onPoolError: (err) => poolErrors.push(err) });
    await sql`select 1`.execute(db);

    const running = sql`select pg_sleep(30)`.execute(db).then(() => undefined, (err: unknown) => err);
    await stopPostgres(dir, 'immediate');
    const lost = await running;
    expect(isTransientError(lost)).toBe(true);
    const refused = await sql`select 1`.execute(db).then(() => undefined, (err: unknown) => err);
    expect(isTransientError(refused)).toBe(true);

    await startPostgres(dir);
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
    expect(rows[0]!.one).toBe(1);
  });
});
