// A stage's first start as one statement: lock the build, start the pending stage at the runner's
// version, insert its steps and mark a pending build running. The stage update is the conditional
// statement of DESIGN §3.2; when its conditions fail nothing is written and no row comes back, and
// begin-stage.ts decides in its transaction whether that was a replay, a conflict or a missing stage.

import { sql } from 'kysely';
import type { Build, Stage } from '../../../core/types.js';
import { onceMoreIfTransient, sqlNowMs } from '../../dialect.js';
import { MAX_ERROR, type BuildRow, type StageRow, type StepRow, rowToBuild, rowToStage, rowToStep, toNumber, truncate } from '../../rows.js';
import type { TransitionContext } from '../context.js';
import { nowSeconds } from '../context.js';
import { columnNames, columnsOf, jsonParam, lockedBuildOfStage } from './fragments.js';
import { repoTimeoutMs } from '../repo-timeout.js';

type Row = StageRow & { hangar_steps: StepRow[] | null; hangar_build: BuildRow | null };

export async function startPendingStage(ctx: TransitionContext, body: Stage, stepRows: readonly object[], graceMs: number, leaseMs: number): Promise<{ stage: Stage; startedBuild?: Build } | undefined> {
  const now = nowSeconds();
  const nowMs = sqlNowMs('postgres');
  const stepColumns = stepRows.length > 0 ? Object.keys(stepRows[0]) : [];
  const insertSteps =
    stepRows.length === 0
      ? sql``
      : sql`, inserted_steps AS (
          INSERT INTO steps (${columnNames(stepColumns)})
          SELECT ${columnsOf('body', stepColumns)} FROM started_stage, jsonb_populate_recordset(NULL::steps, ${jsonParam(stepRows)}) AS body
          RETURNING steps.*)`;
  const readSteps = stepRows.length === 0 ? sql`NULL::json` : sql`(SELECT json_agg(s ORDER BY s.step_number) FROM inserted_steps s)`;
  const statement = sql<Row>`
    WITH ${lockedBuildOfStage(body.id)}, started_stage AS (
      UPDATE stages SET
        stage_status = ${body.status}, stage_error = ${truncate(body.error, MAX_ERROR)}, stage_errignore = ${Boolean(body.errignore)},
        stage_exit_code = ${body.exit_code ?? 0}, stage_started = ${body.started || now}, stage_stopped = ${body.stopped ?? 0},
        stage_updated = ${now}, stage_version = stage_version + 1, hangar_steps_started = false,
        hangar_lease_until = ${nowMs} + ${leaseMs},
        hangar_deadline = ${nowMs} + ${graceMs} + ${repoTimeoutMs(sql.ref('stages.stage_repo_id'))}
      FROM locked_build
      WHERE stage_id = ${body.id} AND stage_build_id = locked_build.build_id AND stage_status = 'pending'
        AND stage_version = ${body.version} AND stage_machine <> '' AND (${body.machine ?? ''} = '' OR stage_machine = ${body.machine ?? ''})
      RETURNING stages.*
    )${insertSteps}, started_build AS (
      UPDATE builds SET build_status = 'running', build_started = ${now}, build_updated = ${now}, build_version = build_version + 1
      FROM started_stage WHERE builds.build_id = started_stage.stage_build_id AND builds.build_status = 'pending'
      RETURNING builds.*
    )
    SELECT started_stage.*, ${readSteps} AS hangar_steps, (SELECT row_to_json(b) FROM started_build b) AS hangar_build
    FROM started_stage`;
  const row = (await onceMoreIfTransient(() => statement.execute(ctx.db))).rows[0];
  if (!row) return undefined;
  const steps = (row.hangar_steps ?? []).sort((a, b) => toNumber(a.step_number) - toNumber(b.step_number)).map(rowToStep);
  return { stage: { ...rowToStage(row), steps }, startedBuild: row.hangar_build ? rowToBuild(row.hangar_build) : undefined };
}
