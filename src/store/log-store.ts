// Step logs for the API and the runner protocol (DESIGN §3.6 tiers b and c).

import type { Kysely } from 'kysely';
import type { LogStore } from '../core/store.js';
import { type Dialect, forUpdate, writeTransaction } from './dialect.js';
import { materializeStepLog, readStepLog } from './log-merge.js';
import { insertLogChunks } from './logs.js';
import type { Database } from './schema.js';

export function createLogStore(db: Kysely<Database>, dialect: Dialect): LogStore {
  return {
    find: (stepId) => readStepLog(db, stepId),

    async appendChunks(chunks) {
      const rows = chunks
        .filter((chunk) => chunk.lines.length > 0)
        .map((chunk) => ({
          stepId: chunk.stepId,
          firstPos: Math.min(...chunk.lines.map((line) => line.pos)),
          lastPos: Math.max(...chunk.lines.map((line) => line.pos)),
          lines: chunk.lines,
        }));
      if (rows.length > 0) await insertLogChunks(db, rows);
    },

    async mergeUpload(stepId, lines) {
      await writeTransaction(db, dialect, async (trx) => {
        // Two uploads of one step (a retry racing the first) merge one after the other.
        await forUpdate(trx.selectFrom('steps').select('step_id').where('step_id', '=', stepId), dialect).execute();
        await materializeStepLog(trx, stepId, lines);
      });
    },

    async delete(stepId) {
      await writeTransaction(db, dialect, async (trx) => {
        await trx.deleteFrom('logs').where('log_id', '=', stepId).execute();
        await trx.deleteFrom('hangar_log_chunks').where('chunk_step_id', '=', stepId).execute();
      });
    },
  };
}
