// The statements every server runs all the time — a runner's reservation, the sweep's reads, lease
// renewals — read through indexes, never by scanning the history of builds and stages, which only grows.
// Each is captured as the store sends it (with its parameters) and explained by the database itself: on
// PostgreSQL as the generic plan a prepared statement ends up with, with sequential scans disabled, so a
// plan that still scans had no index it could use. Walking a whole index is allowed only for the partial
// indexes, which hold the unfinished rows alone.

import BetterSqlite3 from 'better-sqlite3';
import { type CompiledQuery, Kysely, type LogEvent, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Filter } from '../../../src/core/types.js';
import type { Dialect } from '../../../src/store/dialect.js';
import { migrate } from '../../../src/store/migrate.js';
import type { Database } from '../../../src/store/schema.js';
import { renewBuildLeases, renewStageLeases } from '../../../src/store/sql/renew-leases.js';
import { reserveStages } from '../../../src/store/sql/reserve-stage.js';
import { findBuildsToReconcile, findExpiredStages } from '../../../src/store/sql/sweep-queries.js';
import { createTestDatabase } from '../../support/postgres.js';
import { sqliteTarget as sqliteStore } from '../../support/stores.js';

const FILTER: Filter = { kind: 'pipeline', type: 'docker', os: 'linux', arch: 'amd64', variant: '', kernel: '' };

interface Explained {
  db: Kysely<Database>;
  captured: CompiledQuery[];
  /** The plan as lines; a read of a whole table or index says `WHOLE <table or index>`. */
  plan(query: CompiledQuery): Promise<string>;
  /** The indexes with a WHERE clause: walking one whole reads only the unfinished rows. */
  partialIndexes(): Promise<Set<string>>;
  close(): Promise<void>;
}

async function sqliteTarget(): Promise<Explained> {
  const raw = new BetterSqlite3(await sqliteStore.datasource());
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }), log: (event: LogEvent) => void captured.push(event.query) });
  const params = (query: CompiledQuery) => query.parameters.map((p) => (typeof p === 'boolean' ? Number(p) : p));
  return {
    db,
    captured,
    plan: async (query) =>
      (raw.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...params(query)) as Array<{ detail: string }>)
        .map(({ detail }) => detail.replace(/^SCAN (\w+)$/, 'WHOLE $1').replace(/^SCAN \w+ USING (?:COVERING )?INDEX (\S+)$/, 'WHOLE $1'))
        .join('\n'),
    partialIndexes: async () =>
      new Set((raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'`).all() as Array<{ name: string }>).map((row) => row.name)),
    close: async () => db.destroy(),
  };
}

async function postgresTarget(): Promise<Explained> {
  const pool = new pg.Pool({ connectionString: await createTestDatabase(inject('postgresUrl')), max: 1 });
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (event: LogEvent) => void captured.push(event.query) });
  let n = 0;
  return {
    db,
    captured,
    async plan(query) {
      const client = await pool.connect();
      try {
        await client.query('SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off');
        const name = `plan_${++n}`;
        await client.query(`PREPARE ${name} AS ${query.sql}`);
        const values = query.parameters.map((p) => (p === null ? 'NULL' : typeof p === 'string' ? `'${p.replace(/'/g, "''")}'` : String(p)));
        const rows = (await client.query(`EXPLAIN (FORMAT JSON) EXECUTE ${name}${values.length > 0 ? `(${values.join(', ')})` : ''}`)).rows as Array<{
          'QUERY PLAN': Array<{ Plan: PlanNode }>;
        }>;
        await client.query(`DEALLOCATE ${name}`);
        return describePlan(rows[0]['QUERY PLAN'][0].Plan);
      } finally {
        await client.query('RESET ALL');
        client.release();
      }
    },
    partialIndexes: async () => new Set((await pool.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE indexdef LIKE '% WHERE %'`)).rows.map((row) => row.indexname)),
    close: async () => db.destroy(),
  };
}

/** 3,000 finished builds of one stage each, and a few unfinished ones at the end, with the database's statistics. */
async function fillHistory(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const numbers = sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)`;
  const status = sql`CASE WHEN i > 2995 THEN 'running' WHEN i > 2990 THEN 'pending' ELSE 'success' END`;
  await sql`${numbers} INSERT INTO builds (build_id, build_repo_id, build_number, build_status, build_ref) SELECT i, 1, i, ${status}, 'refs/heads/main' FROM n`.execute(db);
  await sql`${numbers} INSERT INTO stages (stage_id, stage_repo_id, stage_build_id, stage_number, stage_name, stage_kind, stage_type, stage_status, stage_machine, stage_os, stage_arch, stage_variant, stage_kernel, stage_limit, stage_limit_repo, stage_labels)
    SELECT i, 1, i, 1, 'default', 'pipeline', 'docker', ${status}, CASE WHEN i > 2995 THEN 'runner' ELSE '' END, 'linux', 'amd64', '', '', 0, 0, '' FROM n`.execute(db);
  // A running build whose only stage ended: the one the reconciler must find.
  await sql`INSERT INTO builds (build_id, build_repo_id, build_number, build_status, build_ref) VALUES (3001, 1, 3001, 'running', 'refs/heads/main')`.execute(db);
  await sql`INSERT INTO stages (stage_id, stage_repo_id, stage_build_id, stage_number, stage_name, stage_status, stage_machine, stage_labels) VALUES (3001, 1, 3001, 1, 'default', 'success', 'runner', '')`.execute(db);
  await sql`ANALYZE`.execute(db);
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** PostgreSQL's plan as lines: a sequential scan, or an index scan with no condition, reads the whole table or index. */
function describePlan(node: PlanNode, depth = 0): string {
  const type = node['Node Type'];
  const whole = type === 'Seq Scan' ? node['Relation Name'] : /Index/.test(type) && !node['Index Cond'] ? node['Index Name'] : undefined;
  const line = `${'  '.repeat(depth)}${whole !== undefined ? `WHOLE ${whole}` : `${type} ${node['Index Name'] ?? node['Relation Name'] ?? ''} ${node['Index Cond'] ?? ''}`}`;
  return [line, ...(node.Plans ?? []).map((child) => describePlan(child, depth + 1))].join('\n');
}

/** Whether the plan reads a whole table, or a whole index that holds more than the unfinished rows. */
function scansHistory(plan: string, partial: Set<string>): boolean {
  return [...plan.matchAll(/WHOLE (\S+)/g)].some(([, name]) => !partial.has(name));
}

const targets: Array<[Dialect, () => Promise<Explained>]> = [
  ['sqlite', sqliteTarget],
  ['postgres', postgresTarget],
];

describe.each(targets)('the statements servers run all the time, on %s', (dialect, open) => {
  let target: Explained | undefined;
  afterEach(async () => target?.close());

  it('read through indexes, not by scanning history', async () => {
    target = await open();
    const { db, captured } = target;
    await migrate(db, dialect);
    await fillHistory(db, dialect);
    captured.length = 0;

    await reserveStages(db, FILTER, 5_000, 10);
    await reserveStages(db, { ...FILTER, labels: { zone: 'a' } }, 5_000, 1);
    await findExpiredStages(db, dialect, 50);
    expect(await findBuildsToReconcile(db, dialect, 50)).toEqual([3001]);
    await renewStageLeases(db, dialect, [1, 2], 20_000);
    await renewBuildLeases(db, dialect, [1, 2], 20_000);

    expect(captured.length).toBe(6);
    const partial = await target.partialIndexes();
    expect(partial.size).toBeGreaterThanOrEqual(4);
    const scanning: string[] = [];
    for (const query of captured) {
      const plan = await target.plan(query);
      if (scansHistory(plan, partial)) scanning.push(`${query.sql}\n${plan}`);
    }
    expect(scanning).toEqual([]);
  });
});
