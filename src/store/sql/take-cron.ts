// The exactly-once step of cron (DESIGN §3.7). Taking a due job is a compare-and-set on its `next`: of N
// servers that saw the job due at `due`, only the first UPDATE matches `cron_next = due`; the others find
// zero rows and do nothing. In the same transaction the winner records an intent keyed (cron, due) and
// claims it for a while. The build is made after commit (no network I/O in a transaction); if the
// winner dies first, the intent outlives it and another server claims it once the claim runs out. The
// build carries the key `cron:<cron>:<due>` under a unique index, so an intent built twice is built once.

import { type Kysely, sql } from 'kysely';
import type { CronIntent } from '../../core/store.js';
import { type Dialect, sqlNowMs, sqlNowSeconds, writeTransaction } from '../dialect.js';
import type { Database, HangarCronIntentsTable } from '../schema.js';
import { toNumber, toText } from '../rows.js';

export interface TakeCronInput {
  cronId: number;
  /** The `next` value the job was seen due at. */
  due: number;
  /** The job's next fire time after this run. */
  next: number;
  claimMs: number;
}

export async function takeCron(db: Kysely<Database>, dialect: Dialect, input: TakeCronInput): Promise<CronIntent | undefined> {
  return writeTransaction(db, dialect, async (trx) => {
    const taken = await trx
      .updateTable('cron')
      .set({ cron_prev: input.due, cron_next: input.next })
      .where('cron_id', '=', input.cronId)
      .where('cron_next', '=', input.due)
      .where('cron_disabled', '=', false)
      .returning(['cron_repo_id', 'cron_name', 'cron_branch'])
      .executeTakeFirst();
    if (!taken) return undefined;
    const intent = await trx
      .insertInto('hangar_cron_intents')
      .values({
        intent_cron_id: input.cronId,
        intent_due: input.due,
        intent_repo_id: taken.cron_repo_id,
        intent_name: taken.cron_name,
        intent_branch: taken.cron_branch,
        intent_created: sqlNowSeconds(dialect),
        intent_claimed_until: sql<number>`${sqlNowMs(dialect)} + ${input.claimMs}`,
        intent_attempts: 1,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToIntent(intent);
  });
}

/**
 * Claims one intent whose claim has run out: a compare-and-set on `intent_claimed_until`, so of two
 * servers claiming the same intent one gets it. Undefined when someone else claimed or finished it.
 */
export async function claimCronIntent(
  db: Kysely<Database>,
  dialect: Dialect,
  key: { cronId: number; due: number },
  claimMs: number,
): Promise<CronIntent | undefined> {
  const now = sqlNowMs(dialect);
  const row = await db
    .updateTable('hangar_cron_intents')
    .set({
      intent_claimed_until: sql<number>`${now} + ${claimMs}`,
      intent_attempts: sql<number>`intent_attempts + 1`,
    })
    .where('intent_cron_id', '=', key.cronId)
    .where('intent_due', '=', key.due)
    .where('intent_claimed_until', '<', now)
    .returningAll()
    .executeTakeFirst();
  return row && rowToIntent(row);
}

/** Intents whose claim has run out, oldest due first (read without locks; each is then claimed). */
export async function findUnclaimedCronIntents(db: Kysely<Database>, dialect: Dialect, limit: number): Promise<Array<{ cronId: number; due: number }>> {
  const rows = await db
    .selectFrom('hangar_cron_intents')
    .select(['intent_cron_id', 'intent_due'])
    .where('intent_claimed_until', '<', sqlNowMs(dialect))
    .orderBy('intent_due')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ cronId: toNumber(row.intent_cron_id), due: toNumber(row.intent_due) }));
}

function rowToIntent(row: HangarCronIntentsTable): CronIntent {
  return {
    cronId: toNumber(row.intent_cron_id),
    due: toNumber(row.intent_due),
    repoId: toNumber(row.intent_repo_id),
    name: toText(row.intent_name),
    branch: toText(row.intent_branch),
    attempts: toNumber(row.intent_attempts),
  };
}
