// Cron jobs in Drone's `cron` table (research/drone-schema.md §3.10) and Hangar's intents beside it.
// Rows are written the way Drone writes them (every column non-NULL, `cron_event` push), so Drone can
// read and run them on a shared database.

import type { Kysely, Selectable } from 'kysely';
import type { CronIntent, CronPatch, CronStore, NewCron } from '../core/store.js';
import type { Cron } from '../core/types.js';
import { type Dialect, sqlNowSeconds } from './dialect.js';
import { toBool, toNumber, toText } from './rows.js';
import type { CronTable, Database } from './schema.js';
import { claimCronIntent, findUnclaimedCronIntents, takeCron } from './sql/take-cron.js';

type CronRow = Selectable<CronTable>;

export function createCronStore(db: Kysely<Database>, dialect: Dialect): CronStore {
  const findById = async (id: number) => {
    const row = await db.selectFrom('cron').selectAll().where('cron_id', '=', id).executeTakeFirst();
    return row && rowToCron(row);
  };

  return {
    async list(repoId) {
      const rows = await db.selectFrom('cron').selectAll().where('cron_repo_id', '=', repoId).orderBy('cron_name').execute();
      return rows.map(rowToCron);
    },

    async findByName(repoId, name) {
      const row = await db.selectFrom('cron').selectAll().where('cron_repo_id', '=', repoId).where('cron_name', '=', name).executeTakeFirst();
      return row && rowToCron(row);
    },

    async create(repoId: number, cron: NewCron) {
      const now = nowSeconds();
      const row = await db
        .insertInto('cron')
        .values({
          cron_repo_id: repoId,
          cron_name: cron.name,
          cron_expr: cron.expr,
          cron_next: cron.next,
          cron_prev: 0,
          cron_event: 'push',
          cron_branch: cron.branch,
          cron_target: '',
          cron_disabled: false,
          cron_created: now,
          cron_updated: now,
          cron_version: 0,
        })
        .onConflict((oc) => oc.columns(['cron_repo_id', 'cron_name']).doNothing())
        .returningAll()
        .executeTakeFirst();
      return row && rowToCron(row);
    },

    async update(id: number, patch: CronPatch) {
      const changes = {
        ...(patch.branch !== undefined ? { cron_branch: patch.branch } : {}),
        ...(patch.target !== undefined ? { cron_target: patch.target } : {}),
        ...(patch.disabled !== undefined ? { cron_disabled: patch.disabled } : {}),
      };
      const result = await db
        .updateTable('cron')
        .set({ ...changes, cron_updated: nowSeconds() })
        .set((eb) => ({ cron_version: eb('cron_version', '+', 1) }))
        .where('cron_id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      return findById(id);
    },

    async delete(id) {
      const result = await db.deleteFrom('cron').where('cron_id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async findDue(limit) {
      const clock = await db.selectNoFrom(sqlNowSeconds(dialect).as('now')).executeTakeFirstOrThrow();
      const now = toNumber(clock.now);
      // `<=` where Drone has `<`: a job fires in the second it is due rather than one second later.
      const rows = await db
        .selectFrom('cron')
        .selectAll()
        .where('cron_next', '<=', now)
        .where('cron_disabled', '=', false)
        .orderBy('cron_name')
        .limit(limit)
        .execute();
      return { now, crons: rows.map(rowToCron) };
    },

    take: (input) => takeCron(db, dialect, input),

    async claimIntents(limit, claimMs) {
      const claimed: CronIntent[] = [];
      for (const key of await findUnclaimedCronIntents(db, dialect, limit)) {
        const intent = await claimCronIntent(db, dialect, key, claimMs);
        if (intent) claimed.push(intent);
      }
      return claimed;
    },

    async finishIntent(intent) {
      await db.deleteFrom('hangar_cron_intents').where('intent_cron_id', '=', intent.cronId).where('intent_due', '=', intent.due).execute();
    },
  };
}

/** Drone's JSON: `target` is omitted when empty. */
export function rowToCron(row: CronRow): Cron {
  const target = toText(row.cron_target);
  return {
    id: toNumber(row.cron_id),
    repo_id: toNumber(row.cron_repo_id),
    name: toText(row.cron_name),
    expr: toText(row.cron_expr),
    next: toNumber(row.cron_next),
    prev: toNumber(row.cron_prev),
    event: toText(row.cron_event),
    branch: toText(row.cron_branch),
    ...(target ? { target } : {}),
    disabled: toBool(row.cron_disabled),
    created: toNumber(row.cron_created),
    updated: toNumber(row.cron_updated),
    version: toNumber(row.cron_version),
  };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
