// Opening the database named by DRONE_DATABASE_DRIVER / DRONE_DATABASE_DATASOURCE.
//
// SQLite (better-sqlite3): WAL journal, a busy timeout, foreign keys off (as under Drone, whose declared
// cascades are never enforced), one Hangar server per file. Booleans are bound as 0/1, since the driver
// cannot bind JS booleans. PostgreSQL (pg): a pool whose int8 values come back as numbers.

import BetterSqlite3 from 'better-sqlite3';
import { BoundedMap } from '../core/bounded-map.js';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type DatabaseConnection,
  type SqliteDatabase,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';

import type { Dialect } from './dialect.js';
import type { Database } from './schema.js';
import { prepareStatementsOn } from './pg-prepared.js';
import { lockSqliteFile, type SqliteFileLock } from './sqlite-lock.js';

export interface DatabaseOptions {
  driver: 'sqlite3' | 'postgres';
  /** A file path (or `:memory:`) for SQLite; a `postgres://` URL or a `key=value` DSN for PostgreSQL. */
  datasource: string;
  /** DRONE_DATABASE_MAX_CONNECTIONS: the PostgreSQL pool size; 0 means the default, 20. */
  maxConnections?: number;
  /** PostgreSQL: how long to wait for a new connection before failing (ms). */
  connectTimeoutMs?: number;
  /** SQLite: how long a statement waits for another writer's lock (ms). */
  busyTimeoutMs?: number;
  /** PostgreSQL: called when a pooled connection fails (e.g. the server restarted). */
  onPoolError?: (err: Error) => void;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

const DEFAULT_POOL_SIZE = 20;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  return options.driver === 'postgres' ? openPostgres(options) : openSqlite(options);
}

// ---- SQLite -------------------------------------------------------------------------------------------

function openSqlite(options: DatabaseOptions): OpenDatabase {
  const path = sqlitePath(options.datasource);
  const lock: SqliteFileLock | undefined = path === ':memory:' ? undefined : lockSqliteFile(path);
  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(path, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = OFF');
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new HangarSqliteDialect(raw) });
  return {
    db,
    dialect: 'sqlite',
    async close() {
      await db.destroy();
      lock?.release();
    },
  };
}

/** Drone's SQLite DSN is a plain path; a `file:` URI's query options are dropped (Hangar sets its own). */
function sqlitePath(datasource: string): string {
  if (!datasource.startsWith('file:')) return datasource;
  const withoutScheme = datasource.slice('file:'.length);
  const query = withoutScheme.indexOf('?');
  return query === -1 ? withoutScheme : withoutScheme.slice(0, query);
}

/** Kysely's SQLite dialect, with booleans bound as 0/1 and write transactions begun IMMEDIATE. */
class HangarSqliteDialect extends SqliteDialect {
  constructor(private readonly raw: BetterSqlite3.Database) {
    super({ database: bindBooleansAsIntegers(raw) });
  }

  override createDriver() {
    const driver = super.createDriver();
    // SQLite rolls a transaction back itself when a write fails with SQLITE_FULL; Kysely's own ROLLBACK
    // would then fail ("no transaction is active") and hide the real error (the full disk).
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection: DatabaseConnection) => {
      if (this.raw.inTransaction) await rollback(connection);
    };
    const beginDeferred = driver.beginTransaction.bind(driver);
    // writeTransaction asks for 'read write': take the write lock at BEGIN, not at the first write.
    driver.beginTransaction = async (connection: DatabaseConnection, settings: TransactionSettings) => {
      if (settings.accessMode === 'read write') {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      } else {
        await beginDeferred(connection, settings);
      }
    };
    return driver;
  }
}

/** Prepared statements kept by SQL text: Kysely prepares every query, and preparing costs more than running. */
const STATEMENT_CACHE_SIZE = 256;

function bindBooleansAsIntegers(raw: BetterSqlite3.Database): SqliteDatabase {
  const toParams = (params: ReadonlyArray<unknown>) => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
  const statements = new BoundedMap<string, BetterSqlite3.Statement>(STATEMENT_CACHE_SIZE);
  const prepared = (sqlText: string): BetterSqlite3.Statement => {
    const stmt = statements.get(sqlText) ?? raw.prepare(sqlText);
    // Most recently used last, so the least recently used is dropped first.
    statements.delete(sqlText);
    statements.set(sqlText, stmt);
    return stmt;
  };
  return {
    close: () => raw.close(),
    prepare(sqlText: string) {
      const stmt = prepared(sqlText);
      return {
        reader: stmt.reader,
        all: (params: ReadonlyArray<unknown>) => stmt.all(...toParams(params)),
        run: (params: ReadonlyArray<unknown>) => stmt.run(...toParams(params)),
        // An iterating statement is busy until the iteration ends: a fresh one keeps the cached one free.
        iterate: (params: ReadonlyArray<unknown>) => raw.prepare(sqlText).iterate(...toParams(params)),
      };
    },
  };
}

// ---- PostgreSQL ---------------------------------------------------------------------------------------

const INT8_OID = 20;

function openPostgres(options: DatabaseOptions): OpenDatabase {
  const connection = postgresConnection(options.datasource);
  const pool = new pg.Pool({
    ...connection,
    max: options.maxConnections && options.maxConnections > 0 ? options.maxConnections : DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: options.connectTimeoutMs ?? connection.connectionTimeoutMillis ?? DEFAULT_CONNECT_TIMEOUT_MS,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A lost server makes every client emit 'error'. The pool listens on idle clients only; a client in
  // use (mid-query, or held by a transaction) would crash the process without a listener of its own.
  // The query itself still fails (a transient error), and the pool replaces the client.
  const report = (err: Error) => options.onPoolError?.(err);
  pool.on('error', report);
  pool.on('connect', (client) => {
    client.on('error', report);
    prepareStatementsOn(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Drone passes DRONE_DATABASE_DATASOURCE to lib/pq, which takes a URL or a `key=value …` string;
 * node-postgres takes URLs only, so the second form is translated.
 */
export function postgresConnection(datasource: string): pg.PoolConfig {
  if (/^postgres(ql)?:\/\//.test(datasource)) return { connectionString: datasource };
  const config: pg.PoolConfig = {};
  for (const [, key, quoted, bare] of datasource.matchAll(/(\w+)\s*=\s*(?:'((?:\\.|[^'])*)'|(\S*))/g)) {
    const value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
    switch (key) {
      case 'host':
        config.host = value;
        break;
      case 'port':
        config.port = Number(value);
        break;
      case 'user':
        config.user = value;
        break;
      case 'password':
        config.password = value;
        break;
      case 'dbname':
        config.database = value;
        break;
      case 'sslmode':
        config.ssl = value === 'disable' ? false : value === 'require' ? { rejectUnauthorized: false } : true;
        break;
      case 'connect_timeout':
        config.connectionTimeoutMillis = Number(value) * 1000;
        break;
    }
  }
  return config;
}
