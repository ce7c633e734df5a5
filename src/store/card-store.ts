// Step cards: the `data` of a card upload, stored per step (Drone's `cards` table, card_id = step id).

import type { Kysely } from 'kysely';
import type { CardStore } from '../core/store.js';
import { toBytes } from './rows.js';
import type { Database } from './schema.js';

export function createCardStore(db: Kysely<Database>): CardStore {
  return {
    async put(stepId, data) {
      await db
        .insertInto('cards')
        .values({ card_id: stepId, card_data: data })
        .onConflict((oc) => oc.column('card_id').doUpdateSet({ card_data: data }))
        .execute();
    },
    async find(stepId) {
      const row = await db.selectFrom('cards').select('card_data').where('card_id', '=', stepId).executeTakeFirst();
      return row ? toBytes(row.card_data) : undefined;
    },
  };
}
