// The sweep found a stage whose lease (or run deadline) passed (DESIGN §3.5). Under the build's lock the
// condition is checked again, so N servers sweeping at once act once:
// - no step of this attempt started: the stage goes back to pending (attempt + 1, steps deleted), so the
//   old runner's late writes get 409 and another runner takes it;
// - otherwise the stage fails as "runner lost" (or "timed out"), keeps the log lines that reached any
//   server, and completion runs as for a normal finish.

import { sql } from 'kysely';
import { isDone } from '../../core/status.js';
import type { ExpiryOutcome } from '../../core/store.js';
import { type Dialect, sqlNowMs, writeTransaction } from '../dialect.js';
import { materializeStepLog } from '../log-merge.js';
import { type StageRow, rowToBuild, toBool, toNumber } from '../rows.js';
import { advanceBuild } from './advance-build.js';
import { type TransitionContext, type Trx, nowSeconds } from './context.js';
import { lockBuildAndStage, stepsOfStage } from './locks.js';

export async function expireStage(ctx: TransitionContext, stageId: number): Promise<ExpiryOutcome> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const locked = await lockBuildAndStage(trx, stageId);
    if (!locked) return { kind: 'none' };
    const { build, stage } = locked;
    const reason = await expiryReason(trx, ctx.dialect, stage);
    if (!reason) return { kind: 'none' };

    if (!toBool(stage.hangar_steps_started)) {
      await requeue(trx, ctx.dialect, stage);
      return { kind: 'requeued' };
    }
    const stepIds = await failStage(trx, stage, reason);
    const advanced = await advanceBuild(trx, ctx.dialect, build);
    return {
      kind: 'failed',
      aftermath: { build: rowToBuild(advanced.build), promoted: advanced.promoted, buildFinished: advanced.finished, endedStepIds: stepIds },
    };
  });
}

/** Why the stage expired, by the database's clock, or undefined if it did not (renewed meanwhile, finished). */
async function expiryReason(trx: Trx, dialect: Dialect, stage: StageRow): Promise<string | undefined> {
  if (isDone(stage.stage_status) || stage.stage_status === 'waiting_on_dependencies' || stage.stage_machine === '') return undefined;
  const { now } = await trx.selectNoFrom(sqlNowMs(dialect).as('now')).executeTakeFirstOrThrow();
  const lease = toNumber(stage.hangar_lease_until);
  const deadline = toNumber(stage.hangar_deadline);
  if (deadline > 0 && deadline < Number(now)) return 'stage timed out: the runner did not finish it within the repository timeout';
  if (lease > 0 && lease < Number(now)) return `runner lost: no sign of life from ${stage.stage_machine} since its lease ran out`;
  return undefined;
}

async function requeue(trx: Trx, dialect: Dialect, stage: StageRow): Promise<void> {
  await trx.deleteFrom('steps').where('step_stage_id', '=', stage.stage_id).execute();
  await trx
    .updateTable('stages')
    .set({
      stage_status: 'pending',
      stage_machine: '',
      stage_error: '',
      stage_exit_code: 0,
      stage_started: 0,
      stage_stopped: 0,
      stage_updated: nowSeconds(),
      stage_version: sql<number>`stage_version + 1`,
      hangar_attempt: sql<number>`hangar_attempt + 1`,
      hangar_lease_until: 0,
      hangar_reserved_until: 0,
      hangar_deadline: 0,
      hangar_steps_started: false,
      hangar_pending_ms: sqlNowMs(dialect),
    })
    .where('stage_id', '=', stage.stage_id)
    .execute();
}

/** Fails the stage and its unfinished steps; keeps their received lines as their logs. Returns the step ids. */
async function failStage(trx: Trx, stage: StageRow, reason: string): Promise<number[]> {
  const now = nowSeconds();
  const steps = await stepsOfStage(trx, stage.stage_id);
  for (const step of steps) {
    if (isDone(step.step_status)) continue;
    const started = step.step_status === 'running';
    await trx
      .updateTable('steps')
      .set({
        step_status: started ? 'error' : 'skipped',
        step_error: started ? reason.slice(0, 500) : '',
        step_exit_code: started ? 255 : 0,
        step_started: toNumber(step.step_started) || now,
        step_stopped: now,
        step_version: sql<number>`step_version + 1`,
      })
      .where('step_id', '=', step.step_id)
      .execute();
    if (started) await materializeStepLog(trx, toNumber(step.step_id));
  }
  await trx
    .updateTable('stages')
    .set({
      stage_status: 'error',
      stage_error: reason.slice(0, 500),
      stage_exit_code: 255,
      stage_stopped: now,
      stage_updated: now,
      stage_version: sql<number>`stage_version + 1`,
      hangar_lease_until: 0,
      hangar_deadline: 0,
    })
    .where('stage_id', '=', stage.stage_id)
    .execute();
  return steps.map((step) => toNumber(step.step_id));
}
