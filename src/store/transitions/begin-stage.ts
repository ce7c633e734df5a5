// PUT /rpc/v2/stage with status running: the stage starts and its steps are created with ids
// (research/drone-server.md §1.5 BeforeAll). Build-rooted: the build is locked, then the stage; the
// stage's version must be the runner's. The stage gets its run deadline (started + repo timeout + grace)
// and a fresh lease; the build becomes running (and is answered, for its commit status). On PostgreSQL a
// first start is tried as one statement (postgres/first-start.ts); only when it writes nothing does the
// transaction below run, to tell a replay from a conflict.

import { sql } from 'kysely';
import type { UpdateOutcome } from '../../core/store.js';
import type { Build, Stage } from '../../core/types.js';
import { sqlNowMs, writeTransaction } from '../dialect.js';
import { MAX_ERROR, rowToBuild, rowToStage, rowToStep, stepToRow, toNumber, truncate } from '../rows.js';
import { type TransitionContext, nowSeconds } from './context.js';
import { lockBuildAndStage, stageWithSteps } from './locks.js';
import { startPendingStage } from './postgres/first-start.js';
import { repoTimeoutMs } from './repo-timeout.js';
import { stageMatches } from './replay.js';

export async function beginStage(ctx: TransitionContext, body: Stage, graceMs: number, leaseMs: number): Promise<UpdateOutcome<{ stage: Stage; startedBuild?: Build }>> {
  const stepRows = (stage_id: number) =>
    (body.steps ?? []).map((step) => stepToRow({ ...step, step_id: stage_id, status: step.status ?? 'pending', exit_code: step.exit_code ?? 0, version: 1 }));
  if (ctx.dialect === 'postgres') {
    const started = await startPendingStage(ctx, body, stepRows(body.id), graceMs, leaseMs);
    if (started) return { kind: 'applied', value: started };
  }
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const locked = await lockBuildAndStage(trx, ctx.dialect, body.id);
    if (!locked) return { kind: 'not_found' };
    const { build, stage } = locked;

    const startable = stage.stage_status === 'pending' || stage.stage_status === 'running';
    // Only the runner that accepted the stage (its machine name, when it says one) starts it.
    const otherRunner = Boolean(body.machine) && body.machine !== stage.stage_machine;
    if (!startable || toNumber(stage.stage_version) !== body.version || stage.stage_machine === '' || otherRunner) {
      if (stageMatches(stage, body)) return { kind: 'replay', value: { stage: await stageWithSteps(trx, stage) } };
      return { kind: 'conflict', reason: `stage is ${stage.stage_status} at version ${stage.stage_version}` };
    }

    const now = nowSeconds();
    const started = body.started || now;
    const updated = await trx
      .updateTable('stages')
      .set({
        stage_status: body.status,
        stage_error: truncate(body.error, MAX_ERROR),
        stage_errignore: Boolean(body.errignore),
        stage_exit_code: body.exit_code ?? 0,
        stage_machine: body.machine || stage.stage_machine,
        stage_started: started,
        stage_stopped: body.stopped ?? 0,
        stage_updated: now,
        stage_version: sql<number>`stage_version + 1`,
        hangar_steps_started: false,
        hangar_lease_until: sql<number>`${sqlNowMs(ctx.dialect)} + ${leaseMs}`,
        // From the database's clock, not the runner's `started` (its clock may be off).
        hangar_deadline: sql<number>`${sqlNowMs(ctx.dialect)} + ${graceMs} + ${repoTimeoutMs(toNumber(stage.stage_repo_id))}`,
      })
      .where('stage_id', '=', stage.stage_id)
      .returningAll()
      .executeTakeFirstOrThrow();

    const steps = stepRows(toNumber(stage.stage_id));
    const inserted = steps.length > 0 ? await trx.insertInto('steps').values(steps).returningAll().execute() : [];

    const startedBuild =
      build.build_status === 'pending'
        ? await trx
            .updateTable('builds')
            .set({ build_status: 'running', build_started: now, build_updated: now, build_version: sql<number>`build_version + 1` })
            .where('build_id', '=', build.build_id)
            .returningAll()
            .executeTakeFirstOrThrow()
        : undefined;
    // A first start has no other steps than those just inserted: no need to read them back.
    const value =
      stage.stage_status === 'pending'
        ? { ...rowToStage(updated), steps: inserted.sort((a, b) => toNumber(a.step_number) - toNumber(b.step_number)).map(rowToStep) }
        : await stageWithSteps(trx, updated);
    return { kind: 'applied', value: { stage: value, startedBuild: startedBuild && rowToBuild(startedBuild) } };
  });
}

