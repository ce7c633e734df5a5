// A database as stock Drone 2.25 leaves it: Drone's statements applied by Drone's algorithm through the
// raw drivers (SQLite in Drone's DELETE journal mode), nothing of Hangar's. Rows are then written the
// way Drone writes them: booleans 0/1 on SQLite, JSON and binary values as BLOBs, Go's `null` JSON.

import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

import { DRONE_MIGRATIONS_TABLE_SQL } from '../../src/store/migrations/drone-migration.js';
import { dronePostgresMigrations } from '../../src/store/migrations/drone-postgres.js';
import { droneSqliteMigrations } from '../../src/store/migrations/drone-sqlite.js';

/** Raw access as Drone has it; `?` placeholders become `$n` on PostgreSQL. */
export interface RawDroneDatabase {
  exec(sql: string, params?: unknown[]): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A database built with Drone's DDL only, as Drone 2.25 creates it on first start. */
export async function createDroneSqlite(path: string): Promise<RawDroneDatabase> {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = DELETE');
  db.exec(DRONE_MIGRATIONS_TABLE_SQL);
  for (const m of droneSqliteMigrations) {
    db.exec(m.sql);
    db.prepare('INSERT INTO migrations (name) VALUES (?)').run(m.name);
  }
  return rawSqlite(db);
}

/** The file opened as Drone opens it (a plain path: rollback journal, foreign keys off), nothing run. */
export async function openRawSqlite(path: string): Promise<RawDroneDatabase> {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = DELETE');
  return rawSqlite(db);
}

function rawSqlite(db: BetterSqlite3.Database): RawDroneDatabase {
  return {
    async exec(sql, params = []) {
      db.prepare(sql).run(...params);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return db.prepare(sql).all(...params) as T[];
    },
    async close() {
      db.close();
    },
  };
}

export async function createDronePostgres(url: string): Promise<RawDroneDatabase> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(DRONE_MIGRATIONS_TABLE_SQL);
  for (const m of dronePostgresMigrations) {
    await client.query(m.sql);
    await client.query('INSERT INTO migrations (name) VALUES ($1)', [m.name]);
  }
  return rawPostgres(client);
}

export async function openRawPostgres(url: string): Promise<RawDroneDatabase> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return rawPostgres(client);
}

function rawPostgres(client: pg.Client): RawDroneDatabase {
  return {
    async exec(sql, params = []) {
      await client.query(toPostgresPlaceholders(sql), params);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await client.query(toPostgresPlaceholders(sql), params);
      return result.rows as T[];
    },
    async close() {
      await client.end();
    },
  };
}
