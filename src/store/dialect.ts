// The few things every query must do differently on SQLite and PostgreSQL: row locks, the database's
// clock, which errors are worth one retry, and how a write transaction begins.

import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder, type Transaction } from 'kysely';

import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * `SELECT … FOR UPDATE` on PostgreSQL; the query unchanged on SQLite, where Kysely would emit the clause
 * anyway and SQLite rejects it (a write transaction there already holds the database's write lock).
 */
export function forUpdate<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  dialect: Dialect,
  options: { skipLocked?: boolean } = {},
): SelectQueryBuilder<DB, TB, O> {
  if (dialect !== 'postgres') return query;
  const locked = query.forUpdate();
  return options.skipLocked ? locked.skipLocked() : locked;
}

/**
 * The database's clock in milliseconds since the epoch, as an integer. Leases and reservations are
 * compared with this, never with a server's clock, so servers with skewed clocks agree.
 * PostgreSQL: clock_timestamp() (the real time, not the transaction's start); SQLite: unixepoch('subsec').
 */
export function sqlNowMs(dialect: Dialect): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`(floor(extract(epoch from clock_timestamp()) * 1000))::bigint`
    : sql<number>`cast(unixepoch('subsec') * 1000 as integer)`;
}

/** The database's clock in whole seconds since the epoch (Drone's time columns). */
export function sqlNowSeconds(dialect: Dialect): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`floor(extract(epoch from clock_timestamp()))::integer`
    : sql<number>`unixepoch()`;
}

// SQLSTATE codes: serialization failure, deadlock, the connection classes, shutdowns, too many connections.
const TRANSIENT_PG_CODES = new Set([
  '40001',
  '40P01',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN']);
const TRANSIENT_SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);
// node-postgres reports a lost or unobtainable connection by message only.
const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is closed',
  'the database system is shutting down',
  'the database system is starting up',
];

/**
 * Whether an error is worth one retry: a lost database connection, a serialization failure, a deadlock,
 * an administrator shutdown, or SQLite being busy. Anything else is a real failure.
 */
export function isTransientError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (typeof e !== 'object') return false;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (TRANSIENT_PG_CODES.has(code) || TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLITE_CODES.has(code)) return true;
    }
    if (typeof message === 'string' && TRANSIENT_MESSAGES.some((m) => message.includes(m))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs `fn` in a write transaction and retries it once on a transient error. On SQLite the transaction
 * begins IMMEDIATE (the database's write lock is taken at BEGIN, so two writers queue on the busy timeout
 * instead of failing at their first write). `fn` must use the `trx` it is given, never `db`: on SQLite the
 * one connection is held by the transaction and a query on `db` would wait for ever. `fn` may run twice,
 * so it must not do network I/O or other side effects outside the database.
 */
export async function writeTransaction<T>(
  db: Kysely<Database>,
  dialect: Dialect,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  // openDatabase's SQLite driver turns a 'read write' transaction into BEGIN IMMEDIATE.
  const begin = () => (dialect === 'sqlite' ? db.transaction().setAccessMode('read write') : db.transaction());
  return onceMoreIfTransient(() => begin().execute(fn));
}

/** Runs `write` (a transaction, or a single statement), and once more after a transient error. */
export async function onceMoreIfTransient<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!isTransientError(err)) throw err;
    return write();
  }
}

/** A write refused by a unique index or primary key (another writer got there first), on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
