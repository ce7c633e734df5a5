// Row locks in the one order every transition takes them: build → stage → steps (DESIGN §3.2).
// On SQLite a write transaction already holds the database's write lock; `forUpdate` is a no-op there.

import type { Dialect } from '../dialect.js';
import { forUpdate } from '../dialect.js';
import type { Stage } from '../../core/types.js';
import { type BuildRow, type StageRow, type StepRow, rowToStage, rowToStep } from '../rows.js';
import type { Trx } from './context.js';

export async function lockBuild(trx: Trx, dialect: Dialect, buildId: number): Promise<BuildRow | undefined> {
  return forUpdate(trx.selectFrom('builds').selectAll().where('build_id', '=', buildId), dialect).executeTakeFirst();
}

export async function lockStage(trx: Trx, dialect: Dialect, stageId: number): Promise<StageRow | undefined> {
  return forUpdate(trx.selectFrom('stages').selectAll().where('stage_id', '=', stageId), dialect).executeTakeFirst();
}

/** The stages of a locked build, in number order (the build's lock covers them). */
export async function stagesOfBuild(trx: Trx, buildId: number): Promise<StageRow[]> {
  return trx.selectFrom('stages').selectAll().where('stage_build_id', '=', buildId).orderBy('stage_number').execute();
}

/** The steps of a locked stage, in number order. */
export async function stepsOfStage(trx: Trx, stageId: number): Promise<StepRow[]> {
  return trx.selectFrom('steps').selectAll().where('step_stage_id', '=', stageId).orderBy('step_number').execute();
}

/**
 * Locks a stage the way every stage transition must: its build first, then the stage (undefined when
 * either is gone), in one statement. PostgreSQL locks the rows of a join in the order of its FROM list,
 * so `builds` before `stages` keeps the build → stage order.
 */
export async function lockBuildAndStage(trx: Trx, dialect: Dialect, stageId: number): Promise<{ build: BuildRow; stage: StageRow } | undefined> {
  const joined = await forUpdate(
    trx.selectFrom('builds').innerJoin('stages', 'stages.stage_build_id', 'builds.build_id').selectAll().where('stages.stage_id', '=', stageId),
    dialect,
  ).executeTakeFirst();
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
