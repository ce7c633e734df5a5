// Pieces of the single-statement transitions on PostgreSQL (data-modifying CTEs). Rows travel in as one
// JSON parameter read through jsonb_populate_record(set), so each column takes its table's own type
// without casts, and the statement's text — hence its prepared name — does not change with the rows.

import { type RawBuilder, sql } from 'kysely';

/** Statuses that are not done (the complement of core/status.ts `isDone`). */
export const NOT_DONE = sql.raw(`('waiting_on_dependencies', 'pending', 'running', 'blocked')`);

/**
 * `locked_build`: the stage's build, locked first, as every stage transition does (DESIGN §3.2); the
 * statement's stage update joins it.
 */
export function lockedBuildOfStage(stageId: number): RawBuilder<unknown> {
  return sql`locked_build AS (SELECT build_id FROM builds WHERE build_id = (SELECT stage_build_id FROM stages WHERE stage_id = ${stageId}) FOR UPDATE)`;
}

/** `a, b, c`: the columns a row object sets, for an INSERT's column list. */
export function columnNames(columns: readonly string[]): RawBuilder<unknown> {
  return sql.join(columns.map((column) => sql.ref(column)));
}

/** `alias.a, alias.b, alias.c`: the same columns read from a populated record. */
export function columnsOf(alias: string, columns: readonly string[]): RawBuilder<unknown> {
  return sql.join(columns.map((column) => sql.ref(`${alias}.${column}`)));
}

/** A JSON parameter for jsonb_populate_record(set). */
export function jsonParam(value: unknown): RawBuilder<unknown> {
  return sql`${JSON.stringify(value)}::jsonb`;
}
