// The queue's pause flag (DELETE/POST /api/queue): a row every server reads, so pausing on one server stops
// dispatch on all of them. `reserve` checks the same row in its own statement; nothing is kept in memory.

import { type Kysely, sql, type SqlBool } from 'kysely';
import type { Database } from '../schema.js';

export const QUEUE_PAUSED = 'queue_paused';

export async function queuePaused(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('hangar_settings').select('setting_value').where('setting_name', '=', QUEUE_PAUSED).executeTakeFirst();
  return row?.setting_value === 'true';
}

export async function setQueuePaused(db: Kysely<Database>, paused: boolean): Promise<void> {
  await db
    .insertInto('hangar_settings')
    .values({ setting_name: QUEUE_PAUSED, setting_value: String(paused) })
    .onConflict((oc) => oc.column('setting_name').doUpdateSet({ setting_value: String(paused) }))
    .execute();
}

/** The predicate `reserve` adds: true while the queue is not paused (an indexed lookup of one row). */
export const queueRunning = sql<SqlBool>`not exists (select 1 from hangar_settings where setting_name = ${QUEUE_PAUSED} and setting_value = 'true')`;
