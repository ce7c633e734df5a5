// After a stage ends (by its runner, by expiry or by the reconciler), inside the same build-rooted
// transaction: waiting stages whose dependencies are done are promoted to pending or skipped (by their
// `trigger.status` run policy), and when every stage is done the build gets its final status
// (research/drone-server.md §1.5 AfterAll steps 6–9). Doing all of it under the build's lock means two
// stages finishing at once on two servers cannot both miss each other.

import { type Kysely, sql } from 'kysely';
import { isDone, isFailed, type Status } from '../../core/status.js';
import { type Dialect, sqlNowMs } from '../dialect.js';
import { queryShape } from '../query-shape.js';
import type { Database } from '../schema.js';
import { type BuildRow, type StageRow, parseStringArray, toBool } from '../rows.js';
import { type Trx, nowSeconds } from './context.js';
import { stagesOfBuild } from './locks.js';

export interface Advanced {
  build: BuildRow;
  stages: StageRow[];
  /** Stages that became pending. */
  promoted: number;
  /** The build reached its final status in this transaction. */
  finished: boolean;
}

export async function advanceBuild(trx: Trx, dialect: Dialect, build: BuildRow): Promise<Advanced> {
  const stages = await stagesOfBuild(trx, build.build_id);
  const promoted = await settleWaitingStages(trx, dialect, stages);
  if (build.build_status !== 'pending' && build.build_status !== 'running') return { build, stages, promoted, finished: false };
  if (!stages.every((stage) => isDone(stage.stage_status))) return { build, stages, promoted, finished: false };
  const finishedBuild = await completeBuild(trx, build, stages);
  return { build: finishedBuild, stages, promoted, finished: true };
}

/** Promotes or skips waiting stages until nothing changes (a skipped stage can release another). */
async function settleWaitingStages(trx: Trx, dialect: Dialect, stages: StageRow[]): Promise<number> {
  const byName = new Map(stages.map((stage) => [stage.stage_name, stage]));
  const depsDone = (stage: StageRow) =>
    parseStringArray(stage.stage_depends_on).every((name) => {
      const dependency = byName.get(name);
      return !dependency || isDone(dependency.stage_status);
    });
  let promoted = 0;
  for (let changed = true; changed; ) {
    changed = false;
    const failed = stages.some((stage) => isFailed(stage.stage_status));
    for (const stage of stages) {
      if (stage.stage_status !== 'waiting_on_dependencies' || !depsDone(stage)) continue;
      const runs = failed ? toBool(stage.stage_on_failure) : toBool(stage.stage_on_success);
      const now = nowSeconds();
      if (runs) {
        await trx
          .updateTable('stages')
          .set({ stage_status: 'pending', stage_updated: now, stage_version: sql<number>`stage_version + 1`, hangar_pending_ms: sqlNowMs(dialect) })
          .where('stage_id', '=', stage.stage_id)
          .execute();
        stage.stage_status = 'pending';
        promoted += 1;
      } else {
        await trx
          .updateTable('stages')
          .set({ stage_status: 'skipped', stage_started: now, stage_stopped: now, stage_updated: now, stage_version: sql<number>`stage_version + 1` })
          .where('stage_id', '=', stage.stage_id)
          .execute();
        stage.stage_status = 'skipped';
      }
      stage.stage_version = Number(stage.stage_version) + 1;
      changed = true;
    }
  }
  return promoted;
}

/** The first stage (by number) that was killed, failed or errored decides; otherwise success. */
export function buildStatusOf(stages: StageRow[]): Status {
  for (const stage of stages) {
    if (stage.stage_status === 'killed' || stage.stage_status === 'failure' || stage.stage_status === 'error') return stage.stage_status;
  }
  return 'success';
}

const completedBuild = queryShape((db: Kysely<Database>, v: { buildId: number; status: Status; started: number; now: number }) =>
  db
    .updateTable('builds')
    .set({ build_status: v.status, build_finished: v.now, build_started: v.started, build_updated: v.now, build_version: sql<number>`build_version + 1` })
    .where('build_id', '=', v.buildId)
    .returningAll(),
);

async function completeBuild(trx: Trx, build: BuildRow, stages: StageRow[]): Promise<BuildRow> {
  const now = nowSeconds();
  const started = Number(build.build_started) > 0 ? Number(build.build_started) : now;
  return completedBuild.one(trx, { buildId: build.build_id, status: buildStatusOf(stages), started, now });
}
