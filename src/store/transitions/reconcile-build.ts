// The reconciler (DESIGN §3.2): a build left with waiting stages whose dependencies are done, or with every
// stage done but no final status, is settled under its lock by the same code a finishing stage runs.

import type { Aftermath } from '../../core/store.js';
import { writeTransaction } from '../dialect.js';
import { rowToBuild } from '../rows.js';
import { advanceBuild } from './advance-build.js';
import type { TransitionContext } from './context.js';
import { lockBuild } from './locks.js';

export async function reconcileBuild(ctx: TransitionContext, buildId: number): Promise<Aftermath | undefined> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const build = await lockBuild(trx, buildId);
    if (!build || (build.build_status !== 'pending' && build.build_status !== 'running')) return undefined;
    const advanced = await advanceBuild(trx, ctx.dialect, build);
    if (advanced.promoted === 0 && !advanced.finished) return undefined;
    return { build: rowToBuild(advanced.build), promoted: advanced.promoted, buildFinished: advanced.finished, endedStepIds: [] };
  });
}
