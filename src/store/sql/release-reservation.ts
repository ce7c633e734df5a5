// Release: a reserved stage whose waiter went away becomes available again at once.

import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export async function releaseReservation(db: Kysely<Database>, stageId: number): Promise<void> {
  await db.updateTable('stages').set({ hangar_reserved_until: 0 }).where('stage_id', '=', stageId).where('stage_machine', '=', '').execute();
}
