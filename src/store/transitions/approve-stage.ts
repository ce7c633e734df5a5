// Approve (research/drone-server.md §8.4): under the build's lock, a blocked stage becomes pending, or
// waiting_on_dependencies when it has dependencies — and those are settled at once in the same
// transaction, so a stage approved after its dependencies finished runs now (Drone leaves it waiting until
// another stage of the build finishes).

import { sql } from 'kysely';
import type { Aftermath, ApprovalOutcome } from '../../core/store.js';
import { sqlNowMs, writeTransaction } from '../dialect.js';
import { parseStringArray, rowToBuild } from '../rows.js';
import { advanceBuild } from './advance-build.js';
import { type TransitionContext, nowSeconds } from './context.js';
import { lockBuild, stagesOfBuild } from './locks.js';

export async function approveStage(ctx: TransitionContext, buildId: number, stageNumber: number): Promise<ApprovalOutcome> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const build = await lockBuild(trx, buildId);
    const stage = build && (await stagesOfBuild(trx, build.build_id)).find((row) => Number(row.stage_number) === stageNumber);
    if (!build || !stage) return { kind: 'not_found' };
    if (stage.stage_status !== 'blocked') return { kind: 'conflict', status: stage.stage_status };
    const waits = parseStringArray(stage.stage_depends_on).length > 0;
    await trx
      .updateTable('stages')
      .set({
        stage_status: waits ? 'waiting_on_dependencies' : 'pending',
        stage_updated: nowSeconds(),
        stage_version: sql<number>`stage_version + 1`,
        hangar_pending_ms: sqlNowMs(ctx.dialect),
      })
      .where('stage_id', '=', stage.stage_id)
      .execute();
    const advanced = await advanceBuild(trx, ctx.dialect, build);
    const aftermath: Aftermath = {
      build: rowToBuild(advanced.build),
      promoted: advanced.promoted + (waits ? 0 : 1),
      buildFinished: advanced.finished,
      endedStepIds: [],
    };
    return { kind: 'applied', aftermath };
  });
}
