// Step cards: the `data` of a card upload, stored per step (Drone's `cards` table, card_id = step id).

import type { Kysely } from 'kysely';
import type { CardStore } from '../core/store.js';
import { toBytes } from './rows.js';
import type { Database } from './schema.js';

export function createCardStore(db: Kysely<Database>): CardStore {
  const upsert = async (executor: Kysely<Database>, stepId: number, data: Buffer) => {
    await executor
      .insertInto('cards')
      .values({ card_id: stepId, card_data: data })
      .onConflict((oc) => oc.column('card_id').doUpdateSet({ card_data: data }))
      .execute();
  };

  return {
    put: (stepId, data) => upsert(db, stepId, data),
    async find(stepId) {
      const row = await db.selectFrom('cards').select('card_data').where('card_id', '=', stepId).executeTakeFirst();
      return row ? toBytes(row.card_data) : undefined;
    },
    async attach(stepId, card) {
      await db.transaction().execute(async (trx) => {
        await upsert(trx, stepId, card.data);
        // Not a state change of the step: its version stays, so the runner holding it keeps updating it.
        await trx.updateTable('steps').set({ step_schema: card.schema }).where('step_id', '=', stepId).execute();
      });
    },
    async delete(stepId) {
      const result = await db.deleteFrom('cards').where('card_id', '=', stepId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
