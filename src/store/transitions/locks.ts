// Row locks in the one order every transition takes them: build → stage → steps (DESIGN §3.2).
// On SQLite a write transaction already holds the database's write lock; `forUpdate` is a no-op there.

import type { Kysely } from 'kysely';
import { forUpdate } from '../dialect.js';
import type { Stage } from '../../core/types.js';
import { queryShape } from '../query-shape.js';
import { type BuildRow, type StageRow, type StepRow, rowToStage, rowToStep } from '../rows.js';
import type { Database } from '../schema.js';
import type { Trx } from './context.js';

type Db = Kysely<Database>;

const lockedBuild = queryShape((db: Db, v: { id: number }, dialect) =>
  forUpdate(db.selectFrom('builds').selectAll().where('build_id', '=', v.id), dialect),
);
const stagesInOrder = queryShape((db: Db, v: { buildId: number }) =>
  db.selectFrom('stages').selectAll().where('stage_build_id', '=', v.buildId).orderBy('stage_number'),
);
const stepsInOrder = queryShape((db: Db, v: { stageId: number }) =>
  db.selectFrom('steps').selectAll().where('step_stage_id', '=', v.stageId).orderBy('step_number'),
);
// PostgreSQL locks the rows of a join in the order of its FROM list: `builds` before `stages`.
const lockedBuildAndStage = queryShape((db: Db, v: { stageId: number }, dialect) =>
  forUpdate(db.selectFrom('builds').innerJoin('stages', 'stages.stage_build_id', 'builds.build_id').selectAll().where('stages.stage_id', '=', v.stageId), dialect),
);

export async function lockBuild(trx: Trx, buildId: number): Promise<BuildRow | undefined> {
  return lockedBuild.first(trx, { id: buildId });
}

/** The stages of a locked build, in number order (the build's lock covers them). */
export async function stagesOfBuild(trx: Trx, buildId: number): Promise<StageRow[]> {
  return stagesInOrder.rows(trx, { buildId });
}

/** The steps of a locked stage, in number order. */
export async function stepsOfStage(trx: Trx, stageId: number): Promise<StepRow[]> {
  return stepsInOrder.rows(trx, { stageId });
}

/**
 * Locks a stage the way every stage transition must: its build first, then the stage (undefined when
 * either is gone), in one statement.
 */
export async function lockBuildAndStage(trx: Trx, stageId: number): Promise<{ build: BuildRow; stage: StageRow } | undefined> {
  const joined = await lockedBuildAndStage.first(trx, { stageId });
  return joined && splitBuildAndStage(joined);
}

/** A row of builds ⋈ stages as its two rows (Drone's column names carry their table's prefix). */
function splitBuildAndStage(joined: BuildRow & StageRow): { build: BuildRow; stage: StageRow } {
  const build: Record<string, unknown> = {};
  const stage: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(joined)) {
    if (key.startsWith('build_') || key === 'hangar_created_ms') build[key] = value;
    else stage[key] = value;
  }
  return { build: build as unknown as BuildRow, stage: stage as unknown as StageRow };
}

/** A stage as runners and the API see it: with its steps. */
export async function stageWithSteps(trx: Trx, stage: StageRow): Promise<Stage> {
  return { ...rowToStage(stage), steps: (await stepsOfStage(trx, stage.stage_id)).map(rowToStep) };
}
