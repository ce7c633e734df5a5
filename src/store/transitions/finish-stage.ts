// PUT /rpc/v2/stage with a final status: the steps and the stage take the runner's final state, and in the
// same build-rooted transaction dependents are promoted or skipped and the build may complete
// (research/drone-server.md §1.5 AfterAll; DESIGN §3.2). On PostgreSQL a build of one stage is tried first
// as one statement (postgres/single-stage-finish.ts); only when it writes nothing does the transaction run.

import { type Kysely, sql } from 'kysely';
import { isDone } from '../../core/status.js';
import type { Aftermath, UpdateOutcome } from '../../core/store.js';
import type { Stage, Step } from '../../core/types.js';
import { writeTransaction } from '../dialect.js';
import { queryShape } from '../query-shape.js';
import type { Database } from '../schema.js';
import { type StepRow, rowToBuild, rowToStage, rowToStep, toNumber } from '../rows.js';
import { advanceBuild } from './advance-build.js';
import { type TransitionContext, type Trx, nowSeconds } from './context.js';
import { lockBuildAndStage, stageWithSteps, stepsOfStage } from './locks.js';
import { finishSingleStage } from './postgres/single-stage-finish.js';
import { finalStepColumns, stageMatches, stepMatches } from './replay.js';
import { type ReportedStage, reportedStage, reportedStageColumns } from './reported-stage.js';

type Db = Kysely<Database>;

const finishedStage = queryShape((db: Db, v: ReportedStage) =>
  db
    .updateTable('stages')
    .set({ ...reportedStageColumns(v), hangar_deadline: 0 })
    .where('stage_id', '=', v.stageId)
    .returningAll(),
);

const finishedStep = queryShape((db: Db, v: { stepId: number } & ReturnType<typeof finalStepColumns>) =>
  db
    .updateTable('steps')
    .set({
      step_status: v.step_status,
      step_error: v.step_error,
      step_exit_code: v.step_exit_code,
      step_started: v.step_started,
      step_stopped: v.step_stopped,
      step_schema: v.step_schema,
      step_version: sql<number>`step_version + 1`,
    })
    .where('step_id', '=', v.stepId)
    .returningAll(),
);

export async function finishStage(ctx: TransitionContext, body: Stage): Promise<UpdateOutcome<{ stage: Stage; aftermath: Aftermath }>> {
  if (ctx.dialect === 'postgres') {
    const finished = await finishSingleStage(ctx, body);
    if (finished) return { kind: 'applied', value: finished };
  }
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const locked = await lockBuildAndStage(trx, body.id);
    if (!locked) return { kind: 'not_found' };
    const { build, stage } = locked;

    // Only the runner that accepted the stage (its machine name, when it says one) finishes it.
    const otherRunner = Boolean(body.machine) && stage.stage_machine !== '' && body.machine !== stage.stage_machine;
    if (isDone(stage.stage_status) || toNumber(stage.stage_version) !== body.version || otherRunner) {
      if (isDone(stage.stage_status) && stageMatches(stage, body)) {
        const aftermath: Aftermath = { build: rowToBuild(build), promoted: 0, buildFinished: false, endedStepIds: [] };
        return { kind: 'replay', value: { stage: await stageWithSteps(trx, stage), aftermath } };
      }
      return { kind: 'conflict', reason: `stage is ${stage.stage_status} at version ${stage.stage_version}` };
    }

    const storedSteps = await stepsOfStage(trx, stage.stage_id);
    const finalSteps = await applyFinalSteps(trx, storedSteps, body.steps ?? []);
    const now = nowSeconds();
    const updated = await finishedStage.one(trx, reportedStage(body, { started: body.started || toNumber(stage.stage_started) || now, stopped: body.stopped || now, now }));

    const advanced = await advanceBuild(trx, ctx.dialect, build);
    const aftermath: Aftermath = {
      build: rowToBuild(advanced.build),
      promoted: advanced.promoted,
      buildFinished: advanced.finished,
      endedStepIds: storedSteps.map((step) => toNumber(step.step_id)),
    };
    return { kind: 'applied', value: { stage: { ...rowToStage(updated), steps: finalSteps.map(rowToStep) }, aftermath } };
  });
}

/**
 * The runner's final word on each step. A step already finished with another outcome keeps it (a final
 * state is never overwritten); anything else takes the body, whatever version the runner held — this is
 * the stage's last update and refusing it would leave the stage hanging.
 */
async function applyFinalSteps(trx: Trx, stored: StepRow[], steps: Step[]): Promise<StepRow[]> {
  const byId = new Map(stored.map((row) => [toNumber(row.step_id), row]));
  for (const step of steps) {
    const row = byId.get(step.id);
    if (!row || stepMatches(row, step) || isDone(row.step_status)) continue;
    const updated = await finishedStep.one(trx, { stepId: row.step_id, ...finalStepColumns(step) });
    byId.set(step.id, updated);
  }
  // The stage's steps as they now stand, in number order (as `stored` was read).
  return stored.map((row) => byId.get(toNumber(row.step_id)) ?? row);
}
