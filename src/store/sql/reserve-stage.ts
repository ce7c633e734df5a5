// Reserve: the oldest pending, unclaimed, unreserved stages matching a runner's filter, their pipeline's
// concurrency limit and their repository's throttle, marked reserved for a short while — one statement
// for as many stages as the filter has parked runners:
//
//   UPDATE stages SET hangar_reserved_until = now + reservation
//   WHERE stage_id IN (SELECT … ORDER BY stage_id LIMIT n FOR UPDATE SKIP LOCKED) AND <still free>
//   RETURNING *
//
// Taking n at once picks exactly the stages n single reservations in a row would: a reservation changes
// no status, so the limit and throttle predicates (which count older pending or running stages) judge
// each candidate the same way.
//
// On PostgreSQL, SKIP LOCKED lets concurrent reservations on many servers take different stages instead
// of queueing on the same row; the outer predicates re-check the row once it is locked. SQLite has one
// writer, so the statement is atomic without the lock clause. A reservation changes no state a runner
// sees (no version bump): Accept is the claim.

import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Filter } from '../../core/types.js';
import { forUpdate, sqlNowMs } from '../dialect.js';
import { literal, literalList } from '../literals.js';
import { queryShape, shapesByKey } from '../query-shape.js';
import type { Database } from '../schema.js';
import type { StageRow } from '../rows.js';
import { queueRunning } from './queue-pause.js';

type StageExpressions = ExpressionBuilder<Database & { s: Database['stages'] }, 's'>;

/** The values of a reservation (labels as canonical JSON); which filter fields are set decides the statement's shape. */
type Reservation = Omit<Filter, 'labels'> & { labels: string; reservationMs: number; limit: number };

/** What decides a reservation statement's form: the filter's cases, not its values. */
interface FilterCases {
  anyPipeline: boolean;
  anyDocker: boolean;
  platform: boolean;
  labels: boolean;
}

const reservationShape = shapesByKey((key) => {
  const cases = JSON.parse(key) as FilterCases;
  return queryShape((db: Kysely<Database>, v: Reservation, dialect) => {
    const now = sqlNowMs(dialect);
    const candidate = forUpdate(
      db
        .selectFrom('stages as s')
        .select('s.stage_id')
        .where('s.stage_status', '=', literal('pending'))
        .where('s.stage_machine', '=', literal(''))
        .where('s.hangar_reserved_until', '<=', now)
        .where((eb) => matchesFilter(eb, cases, v))
        .where(withinPipelineLimit)
        .where(withinRepoThrottle)
        .where(queueRunning)
        .orderBy('s.stage_id')
        .limit(v.limit),
      dialect,
      { skipLocked: true },
    );
    return (
      db
        .updateTable('stages')
        .set({ hangar_reserved_until: sql<number>`${now} + ${v.reservationMs}` })
        // PostgreSQL may run an `IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` once per outer row and so take
        // more than n rows; `= any(array(…))` runs it once.
        .where((eb) => (dialect === 'postgres' ? sql<SqlBool>`stage_id = any(array(${candidate}))` : eb('stage_id', 'in', candidate)))
        .where('stage_status', '=', literal('pending'))
        .where('stage_machine', '=', literal(''))
        .returningAll()
    );
  });
});

/** Up to `limit` stages, oldest first. */
export async function reserveStages(db: Kysely<Database>, filter: Filter, reservationMs: number, limit: number): Promise<StageRow[]> {
  const cases: FilterCases = {
    anyPipeline: filter.kind === 'pipeline',
    anyDocker: filter.type === 'docker',
    platform: Boolean(filter.os || filter.arch || filter.variant || filter.kernel),
    labels: Boolean(filter.labels && Object.keys(filter.labels).length > 0),
  };
  const values: Reservation = { ...filter, labels: JSON.stringify(filter.labels ?? {}), reservationMs, limit };
  const rows = await reservationShape(JSON.stringify(cases)).rows(db, values);
  // RETURNING follows no order: oldest first, as the queue is.
  return rows.sort((a, b) => Number(a.stage_id) - Number(b.stage_id));
}

/** Drone's matching rules (research/drone-server.md §3.2) as SQL on the stage's columns. */
function matchesFilter(eb: StageExpressions, cases: FilterCases, v: Reservation): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [
    cases.anyPipeline ? eb('s.stage_kind', 'in', ['', 'pipeline']) : eb('s.stage_kind', '=', v.kind),
    cases.anyDocker ? eb('s.stage_type', 'in', ['', 'docker']) : eb('s.stage_type', '=', v.type),
  ];
  if (cases.platform) {
    conditions.push(
      eb('s.stage_os', '=', v.os),
      eb('s.stage_arch', '=', v.arch),
      eb.or([eb('s.stage_variant', '=', ''), eb('s.stage_variant', '=', v.variant)]),
      eb.or([eb('s.stage_kernel', '=', ''), eb('s.stage_kernel', '=', v.kernel)]),
    );
  }
  // Labels must be identical maps. Both sides are canonical JSON (sorted keys, as Go's encoder writes maps);
  // Drone wrote them as BLOB on SQLite, hence the cast.
  const labels = sql<string>`coalesce(cast(s.stage_labels as text), '')`;
  conditions.push(cases.labels ? sql<SqlBool>`${labels} = ${v.labels}` : sql<SqlBool>`${labels} in ('', 'null', '{}')`);
  return eb.and(conditions);
}

/** `concurrency.limit`: fewer than `limit` same-named stages of the repo are older-and-unfinished or running. */
function withinPipelineLimit(eb: StageExpressions): Expression<SqlBool> {
  return eb.or([
    eb('s.stage_limit', '=', literal(0)),
    eb(
      eb
        .selectFrom('stages as o')
        .select((o) => o.fn.countAll<number>().as('n'))
        .whereRef('o.stage_repo_id', '=', 's.stage_repo_id')
        .whereRef('o.stage_name', '=', 's.stage_name')
        .where('o.stage_status', 'in', literalList(['pending', 'running']))
        .whereRef('o.stage_id', '<>', 's.stage_id')
        .where((o) => o.or([o('o.stage_id', '<', o.ref('s.stage_id')), o('o.stage_status', '=', literal('running'))])),
      '<',
      eb.ref('s.stage_limit'),
    ),
  ]);
}

/** Repo throttle: fewer than `throttle` older stages of the repo are unfinished. */
function withinRepoThrottle(eb: StageExpressions): Expression<SqlBool> {
  return eb.or([
    eb('s.stage_limit_repo', '=', literal(0)),
    eb(
      eb
        .selectFrom('stages as o')
        .select((o) => o.fn.countAll<number>().as('n'))
        .whereRef('o.stage_repo_id', '=', 's.stage_repo_id')
        .where('o.stage_status', 'in', literalList(['pending', 'running']))
        .whereRef('o.stage_id', '<', 's.stage_id'),
      '<',
      eb.ref('s.stage_limit_repo'),
    ),
  ]);
}
