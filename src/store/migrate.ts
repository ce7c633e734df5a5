// Bringing a database to the schema this release needs: Drone 2.25's migrations exactly as Drone runs
// them, then Hangar's additive ones. Safe on a fresh database, on an existing Drone database (every row
// is kept), when run again, and when several servers start at the same moment.

import { Migrator, sql, type Kysely } from 'kysely';

import type { Dialect } from './dialect.js';
import { DRONE_MIGRATIONS_TABLE_SQL, type DroneMigration } from './migrations/drone-migration.js';
import { dronePostgresMigrations } from './migrations/drone-postgres.js';
import { droneSqliteMigrations } from './migrations/drone-sqlite.js';
import { HANGAR_MIGRATION_LOCK_TABLE, HANGAR_MIGRATION_TABLE, hangarMigrationProvider } from './migrations/hangar.js';
import type { Database } from './schema.js';

export interface MigrateResult {
  /** Names of Drone's migrations applied by this run (empty on a database Drone or Hangar created). */
  drone: string[];
  /** Names of Hangar's migrations applied by this run. */
  hangar: string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** An arbitrary constant: the PostgreSQL advisory lock every Hangar server takes while migrating. */
const MIGRATION_LOCK_KEY = 7_349_112_601;

export function droneMigrations(dialect: Dialect): readonly DroneMigration[] {
  return dialect === 'postgres' ? dronePostgresMigrations : droneSqliteMigrations;
}

export async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<MigrateResult> {
  // One connection for the whole run: on PostgreSQL it holds the session advisory lock, so a second
  // server starting at the same moment waits here and then finds nothing left to do.
  return db.connection().execute(async (conn) => {
    if (dialect === 'postgres') await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(conn);
    try {
      const drone = await applyDroneMigrations(conn, dialect);
      const hangar = await applyHangarMigrations(conn, dialect);
      return { drone, hangar };
    } finally {
      if (dialect === 'postgres') await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(conn);
    }
  });
}

/**
 * Drone's algorithm: ensure `migrations` exists, read the applied names, run every statement whose name
 * is missing and record its name. Unlike Drone, each statement and its record share a transaction, so a
 * crash between the two cannot make the next start fail on "duplicate column".
 */
async function applyDroneMigrations(conn: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  await sql.raw(DRONE_MIGRATIONS_TABLE_SQL).execute(conn);
  const rows = await conn.selectFrom('migrations').select('name').execute();
  const done = new Set(rows.map((row) => row.name));
  const applied: string[] = [];
  for (const migration of droneMigrations(dialect)) {
    if (done.has(migration.name)) continue;
    await conn.transaction().execute(async (trx) => {
      await sql.raw(migration.sql).execute(trx);
      await trx.insertInto('migrations').values({ name: migration.name }).execute();
    });
    applied.push(migration.name);
  }
  return applied;
}

async function applyHangarMigrations(conn: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({
    db: conn,
    provider: hangarMigrationProvider(dialect),
    migrationTableName: HANGAR_MIGRATION_TABLE,
    migrationLockTableName: HANGAR_MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new MigrationError(`hangar migration ${failed ?? '(setup)'} failed: ${describe(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
