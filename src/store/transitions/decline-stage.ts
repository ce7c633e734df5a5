// Decline (research/drone-server.md §8.4): under the build's lock, a blocked stage — or, for the whole
// build, every stage, which must all be blocked — becomes declined and the build declined. Unlike Drone,
// the build's other stages that never started are skipped in the same transaction, so nothing of a declined
// build is dispatched or left waiting forever.

import { sql } from 'kysely';
import { isDone } from '../../core/status.js';
import type { DeclineOutcome } from '../../core/store.js';
import { writeTransaction } from '../dialect.js';
import { type StageRow, rowToBuild, toNumber } from '../rows.js';
import { type TransitionContext, type Trx, nowSeconds } from './context.js';
import { lockBuild, stagesOfBuild } from './locks.js';

/** Declines one blocked stage (by number), or the whole build when `stageNumber` is undefined. */
export async function declineStage(ctx: TransitionContext, buildId: number, stageNumber: number | undefined): Promise<DeclineOutcome> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const build = await lockBuild(trx, buildId);
    if (!build) return { kind: 'not_found' };
    const stages = await stagesOfBuild(trx, build.build_id);
    const declined = stageNumber === undefined ? stages : stages.filter((row) => Number(row.stage_number) === stageNumber);
    if (declined.length === 0) return { kind: 'not_found' };
    const notBlocked = declined.find((stage) => stage.stage_status !== 'blocked');
    if (notBlocked) return { kind: 'conflict', status: notBlocked.stage_status };
    const now = nowSeconds();
    for (const stage of stages) {
      if (declined.includes(stage)) await endStage(trx, stage, 'declined', now);
      else if (!isDone(stage.stage_status) && toNumber(stage.stage_started) === 0 && stage.stage_machine === '') await endStage(trx, stage, 'skipped', now);
    }
    const updated = await trx
      .updateTable('builds')
      .set({
        build_status: 'declined',
        build_started: toNumber(build.build_started) || now,
        build_finished: now,
        build_updated: now,
        build_version: sql<number>`build_version + 1`,
      })
      .where('build_id', '=', build.build_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { kind: 'applied', build: rowToBuild(updated) };
  });
}

async function endStage(trx: Trx, stage: StageRow, status: 'declined' | 'skipped', now: number): Promise<void> {
  await trx
    .updateTable('stages')
    .set({ stage_status: status, stage_started: now, stage_stopped: now, stage_updated: now, stage_version: sql<number>`stage_version + 1` })
    .where('stage_id', '=', stage.stage_id)
    .execute();
}
