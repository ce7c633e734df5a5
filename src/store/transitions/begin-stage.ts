// PUT /rpc/v2/stage with status running: the stage starts and its steps are created with ids
// (research/drone-server.md §1.5 BeforeAll). Build-rooted: the build is locked, then the stage; the
// stage's version must be the runner's. The stage gets its run deadline (started + repo timeout + grace)
// and a fresh lease; the build becomes running (and is answered, for its commit status). On PostgreSQL a
// first start is tried as one statement (postgres/first-start.ts); only when it writes nothing does the
// transaction below run, to tell a replay from a conflict.

import { type Kysely, sql } from 'kysely';
import type { UpdateOutcome } from '../../core/store.js';
import type { Build, Stage } from '../../core/types.js';
import { sqlNowMs, writeTransaction } from '../dialect.js';
import { queryShape } from '../query-shape.js';
import type { Database } from '../schema.js';
import { rowToBuild, rowToStage, rowToStep, stepToRow, toNumber } from '../rows.js';
import { type TransitionContext, nowSeconds } from './context.js';
import { lockBuildAndStage, stageWithSteps } from './locks.js';
import { startPendingStage } from './postgres/first-start.js';
import { repoTimeoutMs } from './repo-timeout.js';
import { type ReportedStage, reportedStage, reportedStageColumns } from './reported-stage.js';
import { stageMatches } from './replay.js';

type Db = Kysely<Database>;

const startedStage = queryShape((db: Db, v: ReportedStage & { repoId: number; machine: string; leaseMs: number; graceMs: number }, dialect) =>
  db
    .updateTable('stages')
    .set({
      ...reportedStageColumns(v),
      stage_machine: v.machine,
      hangar_steps_started: false,
      hangar_lease_until: sql<number>`${sqlNowMs(dialect)} + ${v.leaseMs}`,
      // From the database's clock, not the runner's `started` (its clock may be off).
      hangar_deadline: sql<number>`${sqlNowMs(dialect)} + ${v.graceMs} + ${repoTimeoutMs(v.repoId)}`,
    })
    .where('stage_id', '=', v.stageId)
    .returningAll(),
);

const runningBuild = queryShape((db: Db, v: { buildId: number; now: number }) =>
  db
    .updateTable('builds')
    .set({ build_status: 'running', build_started: v.now, build_updated: v.now, build_version: sql<number>`build_version + 1` })
    .where('build_id', '=', v.buildId)
    .returningAll(),
);

export async function beginStage(ctx: TransitionContext, body: Stage, graceMs: number, leaseMs: number): Promise<UpdateOutcome<{ stage: Stage; startedBuild?: Build }>> {
  const stepRows = (stage_id: number) =>
    (body.steps ?? []).map((step) => stepToRow({ ...step, step_id: stage_id, status: step.status ?? 'pending', exit_code: step.exit_code ?? 0, version: 1 }));
  if (ctx.dialect === 'postgres') {
    const started = await startPendingStage(ctx, body, stepRows(body.id), graceMs, leaseMs);
    if (started) return { kind: 'applied', value: started };
  }
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const locked = await lockBuildAndStage(trx, body.id);
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
    const updated = await startedStage.one(trx, {
      ...reportedStage(body, { started: body.started || now, stopped: body.stopped ?? 0, now }),
      repoId: toNumber(stage.stage_repo_id),
      machine: body.machine || stage.stage_machine,
      leaseMs,
      graceMs,
    });

    const steps = stepRows(toNumber(stage.stage_id));
    const inserted = steps.length > 0 ? await trx.insertInto('steps').values(steps).returningAll().execute() : [];

    const startedBuild = build.build_status === 'pending' ? await runningBuild.first(trx, { buildId: build.build_id, now }) : undefined;
    // A first start has no other steps than those just inserted: no need to read them back.
    const value =
      stage.stage_status === 'pending'
        ? { ...rowToStage(updated), steps: inserted.sort((a, b) => toNumber(a.step_number) - toNumber(b.step_number)).map(rowToStep) }
        : await stageWithSteps(trx, updated);
    return { kind: 'applied', value: { stage: value, startedBuild: startedBuild && rowToBuild(startedBuild) } };
  });
}

