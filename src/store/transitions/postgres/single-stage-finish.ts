// The last word on a build of one stage, as one statement: lock the build, finish the stage at the
// runner's version, give its unfinished steps the runner's final state, and complete the build with the
// stage's outcome. A build of several stages takes finish-stage.ts's transaction instead: whether it is
// complete depends on its other stages, which one statement would read from a snapshot taken before it
// waited for the build's lock. A build's stages are fixed at its creation, so "one stage" cannot go stale.
// No row back means nothing was written; finish-stage.ts then decides in its transaction. So a build of
// several stages pays this statement too (one indexed look and the build's lock, taken and let go): cheaper
// than reading the stage count first for every build, most of which have one stage.

import { sql } from 'kysely';
import { onceMoreIfTransient } from '../../dialect.js';
import type { Aftermath } from '../../../core/store.js';
import type { Stage } from '../../../core/types.js';
import { MAX_ERROR, type BuildRow, type StageRow, type StepRow, rowToBuild, rowToStage, rowToStep, toNumber, truncate } from '../../rows.js';
import { type TransitionContext, nowSeconds } from '../context.js';
import { finalStepColumns } from '../replay.js';
import { NOT_DONE, jsonParam, lockedBuildOfStage } from './fragments.js';

type Row = StageRow & { hangar_stored_steps: StepRow[] | null; hangar_final_steps: StepRow[] | null; hangar_build: BuildRow; hangar_build_finished: boolean };

export async function finishSingleStage(ctx: TransitionContext, body: Stage): Promise<{ stage: Stage; aftermath: Aftermath } | undefined> {
  const now = nowSeconds();
  const machine = body.machine ?? '';
  const statement = sql<Row>`
    WITH ${lockedBuildOfStage(body.id)}, finished_stage AS (
      UPDATE stages SET
        stage_status = ${body.status}, stage_error = ${truncate(body.error, MAX_ERROR)}, stage_errignore = ${Boolean(body.errignore)},
        stage_exit_code = ${body.exit_code ?? 0},
        stage_started = CASE WHEN ${body.started ?? 0}::integer > 0 THEN ${body.started ?? 0}::integer WHEN stage_started > 0 THEN stage_started ELSE ${now}::integer END,
        stage_stopped = ${body.stopped || now}, stage_updated = ${now}, stage_version = stage_version + 1, hangar_deadline = 0
      FROM locked_build
      WHERE stage_id = ${body.id} AND stage_build_id = locked_build.build_id AND stage_status IN ${NOT_DONE}
        AND stage_version = ${body.version} AND (${machine} = '' OR stage_machine = '' OR stage_machine = ${machine})
        AND NOT EXISTS (SELECT 1 FROM stages other WHERE other.stage_build_id = locked_build.build_id AND other.stage_id <> ${body.id})
      RETURNING stages.*
    ), final_steps AS (
      UPDATE steps SET
        step_status = body.step_status, step_error = body.step_error, step_exit_code = body.step_exit_code,
        step_started = body.step_started, step_stopped = body.step_stopped, step_schema = body.step_schema,
        step_version = steps.step_version + 1
      FROM finished_stage, jsonb_populate_recordset(NULL::steps, ${jsonParam((body.steps ?? []).map((step) => ({ step_id: step.id, ...finalStepColumns(step) })))}) AS body
      WHERE steps.step_stage_id = finished_stage.stage_id AND steps.step_id = body.step_id AND steps.step_status IN ${NOT_DONE}
        AND NOT (steps.step_status = body.step_status AND COALESCE(steps.step_started, 0) = body.step_started
          AND COALESCE(steps.step_stopped, 0) = body.step_stopped AND COALESCE(steps.step_exit_code, 0) = body.step_exit_code
          AND COALESCE(steps.step_error, '') = body.step_error AND COALESCE(steps.step_schema, '') = body.step_schema)
      RETURNING steps.*
    ), finished_build AS (
      UPDATE builds SET
        build_status = CASE WHEN finished_stage.stage_status IN ('killed', 'failure', 'error') THEN finished_stage.stage_status ELSE 'success' END,
        build_finished = ${now}, build_started = CASE WHEN builds.build_started > 0 THEN builds.build_started ELSE ${now}::integer END,
        build_updated = ${now}, build_version = builds.build_version + 1
      FROM finished_stage
      WHERE builds.build_id = finished_stage.stage_build_id AND builds.build_status IN ('pending', 'running')
        AND finished_stage.stage_status NOT IN ${NOT_DONE}
      RETURNING builds.*
    )
    SELECT finished_stage.*,
      (SELECT json_agg(s ORDER BY s.step_number) FROM steps s WHERE s.step_stage_id = finished_stage.stage_id) AS hangar_stored_steps,
      (SELECT json_agg(f) FROM final_steps f) AS hangar_final_steps,
      COALESCE((SELECT row_to_json(b) FROM finished_build b), (SELECT row_to_json(b) FROM builds b WHERE b.build_id = finished_stage.stage_build_id)) AS hangar_build,
      EXISTS (SELECT 1 FROM finished_build) AS hangar_build_finished
    FROM finished_stage`;
  const row = (await onceMoreIfTransient(() => statement.execute(ctx.db))).rows[0];
  if (!row) return undefined;
  const stored = row.hangar_stored_steps ?? [];
  const updated = new Map((row.hangar_final_steps ?? []).map((step) => [toNumber(step.step_id), step]));
  const steps = stored.map((step) => updated.get(toNumber(step.step_id)) ?? step).map(rowToStep);
  const aftermath: Aftermath = {
    build: rowToBuild(row.hangar_build),
    promoted: 0,
    buildFinished: row.hangar_build_finished,
    endedStepIds: stored.map((step) => toNumber(step.step_id)),
  };
  return { stage: { ...rowToStage(row), steps }, aftermath };
}
