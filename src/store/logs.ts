// Step logs. `logs` holds one row per step (log_id = step id) with the exact bytes of the runner's
// upload: a JSON array of lines. `hangar_log_chunks` holds lines as servers received them, written in
// batches, until an upload is merged over them (DESIGN §3.6).

import type { Kysely } from 'kysely';

import type { Line } from '../core/types.js';
import { toBytes, toNumber } from './rows.js';
import type { Database } from './schema.js';

/** The stored log of a step, byte for byte, or undefined when there is none. */
export async function findLog(db: Kysely<Database>, stepId: number): Promise<Buffer | undefined> {
  const row = await db.selectFrom('logs').select('log_data').where('log_id', '=', stepId).executeTakeFirst();
  return row && toBytes(row.log_data);
}

/** Writes a step's log, replacing any earlier one (Drone's plain insert fails on a second upload). */
export async function writeLog(db: Kysely<Database>, stepId: number, data: Buffer): Promise<void> {
  await db
    .insertInto('logs')
    .values({ log_id: stepId, log_data: data })
    .onConflict((oc) => oc.column('log_id').doUpdateSet({ log_data: data }))
    .execute();
}

export async function deleteLog(db: Kysely<Database>, stepId: number): Promise<void> {
  await db.deleteFrom('logs').where('log_id', '=', stepId).execute();
}

export interface LogChunk {
  stepId: number;
  /** `pos` of the first and last line in `lines`. */
  firstPos: number;
  lastPos: number;
  lines: Line[];
}

// Well under SQLite's and PostgreSQL's bound-parameter limits at 5 parameters a row.
const CHUNK_ROWS_PER_INSERT = 1000;

/** Inserts chunks in one multi-row statement (several only beyond a thousand chunks). */
export async function insertLogChunks(db: Kysely<Database>, chunks: readonly LogChunk[], createdMs = Date.now()): Promise<void> {
  for (let start = 0; start < chunks.length; start += CHUNK_ROWS_PER_INSERT) {
    const rows = chunks.slice(start, start + CHUNK_ROWS_PER_INSERT).map((chunk) => ({
      chunk_step_id: chunk.stepId,
      chunk_first_pos: chunk.firstPos,
      chunk_last_pos: chunk.lastPos,
      chunk_data: JSON.stringify(chunk.lines),
      chunk_created: createdMs,
    }));
    await db.insertInto('hangar_log_chunks').values(rows).execute();
  }
}

/** A step's chunks ordered by their first line (and by arrival among equal ones). */
export async function listLogChunks(db: Kysely<Database>, stepId: number): Promise<LogChunk[]> {
  const rows = await db
    .selectFrom('hangar_log_chunks')
    .select(['chunk_step_id', 'chunk_first_pos', 'chunk_last_pos', 'chunk_data'])
    .where('chunk_step_id', '=', stepId)
    .orderBy('chunk_first_pos')
    .orderBy('chunk_id')
    .execute();
  return rows.map((row) => ({
    stepId: toNumber(row.chunk_step_id),
    firstPos: toNumber(row.chunk_first_pos),
    lastPos: toNumber(row.chunk_last_pos),
    lines: parseLines(row.chunk_data),
  }));
}

export async function deleteLogChunks(db: Kysely<Database>, stepId: number): Promise<void> {
  await db.deleteFrom('hangar_log_chunks').where('chunk_step_id', '=', stepId).execute();
}

function parseLines(data: string): Line[] {
  try {
    const parsed: unknown = JSON.parse(data);
    return Array.isArray(parsed) ? parsed.filter(isLine) : [];
  } catch {
    return [];
  }
}

function isLine(value: unknown): value is Line {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Record<string, unknown>;
  return typeof line.pos === 'number' && typeof line.out === 'string' && typeof line.time === 'number';
}
