// API cancel (research/drone-server.md §8.2): under the build's lock, a pending or running build becomes
// killed, its unfinished stages and steps killed (if they started) or skipped, exit code 130 for steps.
// A build already done is answered as it is. Runners learn of it from their watch (200) after commit.

import { sql } from 'kysely';
import { isDone } from '../../core/status.js';
import type { Build, Stage } from '../../core/types.js';
import { NotFoundError } from '../../core/errors.js';
import { writeTransaction } from '../dialect.js';
import { type BuildRow, type StageRow, rowToBuild, toNumber } from '../rows.js';
import { type TransitionContext, type Trx, nowSeconds } from './context.js';
import { lockBuild, stageWithSteps, stagesOfBuild, stepsOfStage } from './locks.js';

export interface Cancelled {
  build: Build;
  stages: Stage[];
  changed: boolean;
  endedStepIds: number[];
}

export async function cancelBuild(ctx: TransitionContext, buildId: number, buildStatus: 'killed' | 'skipped' = 'killed'): Promise<Cancelled> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const build = await lockBuild(trx, buildId);
    if (!build) throw new NotFoundError(`build ${buildId} not found`);
    if (build.build_status !== 'pending' && build.build_status !== 'running') {
      return { build: rowToBuild(build), stages: await stagesWithSteps(trx, build), changed: false, endedStepIds: [] };
    }
    const now = nowSeconds();
    const killed = await trx
      .updateTable('builds')
      .set({
        build_status: buildStatus,
        build_finished: now,
        build_started: toNumber(build.build_started) || now,
        build_updated: now,
        build_version: sql<number>`build_version + 1`,
      })
      .where('build_id', '=', build.build_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const endedStepIds: number[] = [];
    for (const stage of await stagesOfBuild(trx, build.build_id)) {
      if (isDone(stage.stage_status)) continue;
      endedStepIds.push(...(await stopStage(trx, stage, now)));
    }
    return { build: rowToBuild(killed), stages: await stagesWithSteps(trx, killed), changed: true, endedStepIds };
  });
}

/** Stops an unfinished stage and its unfinished steps; returns its step ids. */
async function stopStage(trx: Trx, stage: StageRow, now: number): Promise<number[]> {
  const started = toNumber(stage.stage_started) > 0;
  await trx
    .updateTable('stages')
    .set({
      stage_status: started ? 'killed' : 'skipped',
      stage_started: started ? toNumber(stage.stage_started) : now,
      stage_stopped: now,
      stage_updated: now,
      stage_version: sql<number>`stage_version + 1`,
      hangar_deadline: 0,
    })
    .where('stage_id', '=', stage.stage_id)
    .execute();
  const steps = await stepsOfStage(trx, stage.stage_id);
  for (const step of steps) {
    if (isDone(step.step_status)) continue;
    const stepStarted = toNumber(step.step_started) > 0;
    await trx
      .updateTable('steps')
      .set({
        step_status: stepStarted ? 'killed' : 'skipped',
        step_started: stepStarted ? toNumber(step.step_started) : now,
        step_stopped: now,
        step_exit_code: 130,
        step_version: sql<number>`step_version + 1`,
      })
      .where('step_id', '=', step.step_id)
      .execute();
  }
  return steps.map((step) => toNumber(step.step_id));
}

async function stagesWithSteps(trx: Trx, build: BuildRow): Promise<Stage[]> {
  const stages: Stage[] = [];
  for (const stage of await stagesOfBuild(trx, build.build_id)) stages.push(await stageWithSteps(trx, stage));
  return stages;
}
