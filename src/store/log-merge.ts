// Tier c of the logs (DESIGN §3.6): a step's log is the union, by position, of the lines the servers
// wrote as chunks, the stored log and the runner's upload. The upload is authoritative: on an equal
// position it wins. The result is one `logs` row — a JSON array of lines, as Drone stores it — and the
// merged chunks are removed in the same transaction.

import type { Kysely } from 'kysely';
import type { Line } from '../core/types.js';
import { deleteLogChunks, findLog, listLogChunks, writeLog } from './logs.js';
import type { Database } from './schema.js';

/** Lines of all sources ordered by position; for an equal position the later source wins. */
export function mergeLines(...sources: Line[][]): Line[] {
  const byPos = new Map<number, Line>();
  for (const source of sources) for (const line of source) byPos.set(line.pos, line);
  return [...byPos.values()].sort((a, b) => a.pos - b.pos);
}

/** The stored bytes of a log as lines (Drone's JSON array); anything unreadable is empty. */
export function parseStoredLog(data: Buffer | undefined): Line[] {
  if (!data || data.length === 0) return [];
  try {
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    return Array.isArray(parsed) ? parsed.filter((l): l is Line => typeof l === 'object' && l !== null && typeof (l as Line).pos === 'number') : [];
  } catch {
    return [];
  }
}

/** The step's log with its chunks merged in; undefined when neither exists. Read-only. */
export async function readStepLog(db: Kysely<Database>, stepId: number): Promise<Line[] | undefined> {
  const [stored, chunks] = await Promise.all([findLog(db, stepId), listLogChunks(db, stepId)]);
  if (stored === undefined && chunks.length === 0) return undefined;
  return mergeLines(
    chunks.flatMap((chunk) => chunk.lines),
    parseStoredLog(stored),
  );
}

/** Writes the merged log of a step (chunks, stored log, then `upload`) and drops its chunks. Call in a transaction. */
export async function materializeStepLog(trx: Kysely<Database>, stepId: number, upload: Line[] = []): Promise<void> {
  const [stored, chunks] = await Promise.all([findLog(trx, stepId), listLogChunks(trx, stepId)]);
  if (stored === undefined && chunks.length === 0 && upload.length === 0) return;
  const merged = mergeLines(
    chunks.flatMap((chunk) => chunk.lines),
    parseStoredLog(stored),
    upload,
  );
  await writeLog(trx, stepId, Buffer.from(JSON.stringify(merged)));
  if (chunks.length > 0) await deleteLogChunks(trx, stepId);
}
