// The sweep's reads (DESIGN §3.1, §3.5): plain SELECTs without locks; each hit is then handled in its own
// build-rooted transaction that re-checks the condition, so N servers sweeping at once act once.

import type { Kysely } from 'kysely';
import { type Dialect, sqlNowMs } from '../dialect.js';
import { literal, literalList } from '../literals.js';
import type { Database } from '../schema.js';

/** Claimed unfinished stages whose lease, or whose run deadline, has passed. */
export async function findExpiredStages(db: Kysely<Database>, dialect: Dialect, limit: number): Promise<number[]> {
  const now = sqlNowMs(dialect);
  const rows = await db
    .selectFrom('stages')
    .select('stage_id')
    .where('stage_status', 'in', literalList(['pending', 'running']))
    .where('stage_machine', '<>', literal(''))
    .where((eb) =>
      eb.or([
        eb.and([eb('hangar_lease_until', '>', 0), eb('hangar_lease_until', '<', now)]),
        eb.and([eb('hangar_deadline', '>', 0), eb('hangar_deadline', '<', now)]),
      ]),
    )
    .orderBy('stage_id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.stage_id));
}

/** Of these builds, those that are finished or cancelled. */
export async function findDoneBuilds(db: Kysely<Database>, buildIds: number[]): Promise<number[]> {
  const rows = await db
    .selectFrom('builds')
    .select('build_id')
    .where('build_id', 'in', buildIds)
    .where('build_status', 'not in', ['pending', 'running', 'blocked', 'waiting_on_dependencies'])
    .execute();
  return rows.map((r) => Number(r.build_id));
}

/**
 * Unfinished builds with no pending or running stage (and none blocked for approval): either every stage
 * is done and the build was never completed, or waiting stages were never promoted. The reconciler settles
 * both; a crash between two transactions can leave nothing else behind.
 */
export async function findBuildsToReconcile(db: Kysely<Database>, dialect: Dialect, limit: number): Promise<number[]> {
  // The unfinished builds through their partial index, then each one's own stages through the build's
  // index: a count per build, which no planner turns into a join over every stage. Without the fence
  // (OFFSET 0 keeps the subquery apart) PostgreSQL walks every build in id order for the first `limit`
  // unfinished ones; SQLite takes the index as it is (and wants no OFFSET without a LIMIT).
  const unfinishedBuilds = db.selectFrom('builds').select('build_id').where('build_status', 'in', literalList(['pending', 'running']));
  const unfinished = dialect === 'postgres' ? unfinishedBuilds.offset(literal(0)) : unfinishedBuilds;
  const rows = await db
    .selectFrom(unfinished.as('b'))
    .select('b.build_id')
    .where((eb) =>
      eb(
        eb
          .selectFrom('stages as s')
          .select((s) => s.fn.countAll<number>().as('n'))
          .whereRef('s.stage_build_id', '=', 'b.build_id')
          .where('s.stage_status', 'in', literalList(['pending', 'running', 'blocked'])),
        '=',
        literal(0),
      ),
    )
    .orderBy('b.build_id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.build_id));
}
