// Hangar's own schema changes, applied after Drone's by Kysely's Migrator (tracked in
// `hangar_migrations`, never in Drone's `migrations`). Every change is additive, so Drone keeps working on
// the same database (research/drone-schema.md §6): new columns are prefixed `hangar_` and NOT NULL only
// with a default; new tables carry no foreign keys; no unique index is added to a Drone table.
// Migrations are expand/contract: never edit one that has shipped, add the next instead.

import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

import type { Dialect } from '../dialect.js';

export const HANGAR_MIGRATION_TABLE = 'hangar_migrations';
export const HANGAR_MIGRATION_LOCK_TABLE = 'hangar_migrations_lock';

/** Raw statements keep each DDL readable as the SQL it is; `types` holds what differs per dialect. */
function statements(list: (types: DialectTypes) => string[], dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const statement of list(DIALECT_TYPES[dialect])) await sql.raw(statement).execute(db);
    },
  };
}

interface DialectTypes {
  /** An auto-incrementing 64-bit primary key. */
  serialKey: string;
  bigint: string;
  falseValue: string;
}

const DIALECT_TYPES: Record<Dialect, DialectTypes> = {
  sqlite: { serialKey: 'INTEGER PRIMARY KEY AUTOINCREMENT', bigint: 'BIGINT', falseValue: '0' },
  postgres: { serialKey: 'BIGSERIAL PRIMARY KEY', bigint: 'BIGINT', falseValue: 'false' },
};

/** Dispatch, leases and re-queueing (DESIGN §3.3, §3.5). Times are ms on the database's clock. */
const stageColumns = (t: DialectTypes) => [
  `ALTER TABLE stages ADD COLUMN hangar_reserved_until ${t.bigint} NOT NULL DEFAULT 0`,
  `ALTER TABLE stages ADD COLUMN hangar_lease_until ${t.bigint} NOT NULL DEFAULT 0`,
  `ALTER TABLE stages ADD COLUMN hangar_deadline ${t.bigint} NOT NULL DEFAULT 0`,
  `ALTER TABLE stages ADD COLUMN hangar_pending_ms ${t.bigint} NOT NULL DEFAULT 0`,
  `ALTER TABLE stages ADD COLUMN hangar_attempt INTEGER NOT NULL DEFAULT 0`,
  `ALTER TABLE stages ADD COLUMN hangar_steps_started BOOLEAN NOT NULL DEFAULT ${t.falseValue}`,
];

/** Build creation time with millisecond precision beside Drone's seconds (DESIGN §3b). */
const buildColumns = (t: DialectTypes) => [`ALTER TABLE builds ADD COLUMN hangar_created_ms ${t.bigint} NOT NULL DEFAULT 0`];

const tables = (t: DialectTypes) => [
  // The converted YAML a build was planned from; a runner's details come from it.
  `CREATE TABLE hangar_build_configs (
    config_build_id INTEGER PRIMARY KEY,
    config_path TEXT NOT NULL DEFAULT '',
    config_data TEXT NOT NULL DEFAULT ''
  )`,
  // Idempotency keys (webhook deliveries, cron intents): the primary key makes a second insert fail.
  `CREATE TABLE hangar_build_keys (
    key_value TEXT PRIMARY KEY,
    key_build_id INTEGER NOT NULL DEFAULT 0,
    key_created ${t.bigint} NOT NULL DEFAULT 0
  )`,
  `CREATE INDEX ix_hangar_build_keys_build ON hangar_build_keys (key_build_id)`,
  // Log lines as received, one row per server per second per step, until the upload replaces them.
  `CREATE TABLE hangar_log_chunks (
    chunk_id ${t.serialKey},
    chunk_step_id INTEGER NOT NULL,
    chunk_first_pos INTEGER NOT NULL,
    chunk_last_pos INTEGER NOT NULL,
    chunk_data TEXT NOT NULL,
    chunk_created ${t.bigint} NOT NULL DEFAULT 0
  )`,
  `CREATE INDEX ix_hangar_log_chunks_step ON hangar_log_chunks (chunk_step_id, chunk_first_pos)`,
  // Settings every server of a cluster must share.
  `CREATE TABLE hangar_settings (
    setting_name TEXT PRIMARY KEY,
    setting_value TEXT NOT NULL DEFAULT ''
  )`,
];

/** Partial indexes for the hot queries; none is unique, and Drone never notices them. */
const stageIndexes = () => [
  `CREATE INDEX ix_hangar_stages_dispatch ON stages (stage_id)
    WHERE stage_status = 'pending' AND stage_machine = ''`,
  `CREATE INDEX ix_hangar_stages_lease ON stages (hangar_lease_until)
    WHERE stage_status IN ('pending', 'running')`,
  `CREATE INDEX ix_hangar_stages_repo_incomplete ON stages (stage_repo_id, stage_name)
    WHERE stage_status IN ('pending', 'running')`,
  `CREATE INDEX ix_hangar_stages_waiting ON stages (stage_build_id)
    WHERE stage_status = 'waiting_on_dependencies'`,
];

/** Due cron runs between the take and the build (DESIGN §3.7); no foreign key, Drone deletes crons. */
const cronIntents = (t: DialectTypes) => [
  `CREATE TABLE hangar_cron_intents (
    intent_cron_id INTEGER NOT NULL,
    intent_due ${t.bigint} NOT NULL,
    intent_repo_id INTEGER NOT NULL DEFAULT 0,
    intent_name TEXT NOT NULL DEFAULT '',
    intent_branch TEXT NOT NULL DEFAULT '',
    intent_created ${t.bigint} NOT NULL DEFAULT 0,
    intent_claimed_until ${t.bigint} NOT NULL DEFAULT 0,
    intent_attempts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (intent_cron_id, intent_due)
  )`,
];

/** Sessions started before this time (ms) are refused: signing out ends every session of the user. */
const sessionColumns = (t: DialectTypes) => [`ALTER TABLE users ADD COLUMN hangar_sessions_after ${t.bigint} NOT NULL DEFAULT 0`];

/** The servers of a cluster, each writing its heartbeat (the cluster page); blocked stages found by index. */
const clusterTables = (t: DialectTypes) => [
  `CREATE TABLE hangar_servers (
    server_id TEXT PRIMARY KEY,
    server_address TEXT NOT NULL DEFAULT '',
    server_version TEXT NOT NULL DEFAULT '',
    server_started ${t.bigint} NOT NULL DEFAULT 0,
    server_seen ${t.bigint} NOT NULL DEFAULT 0,
    server_state TEXT NOT NULL DEFAULT '{}'
  )`,
  `CREATE INDEX ix_hangar_stages_blocked ON stages (stage_id) WHERE stage_status = 'blocked'`,
];

/** Hangar's migrations by name; the Migrator applies them in name order. */
export function hangarMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-stage-dispatch-columns': statements(stageColumns, dialect),
    '0002-build-created-ms': statements(buildColumns, dialect),
    '0003-hangar-tables': statements(tables, dialect),
    '0004-stage-indexes': statements(stageIndexes, dialect),
    '0005-cron-intents': statements(cronIntents, dialect),
    '0006-user-sessions-after': statements(sessionColumns, dialect),
    '0007-cluster-servers': statements(clusterTables, dialect),
  };
}

export function hangarMigrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => hangarMigrations(dialect) };
}
