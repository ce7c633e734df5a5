// PATCH /api/repos/{owner}/{name}/cron/{cron}: {branch?, target?, disabled?}. The schedule is kept: a job
// enabled again after it was due while disabled fires at the next check, once, as on Drone.

import { validateCronBranch } from '../../../trigger/cron/new-cron.js';
import type { ServerContext } from '../../context.js';
import type { ApiApp } from '../schemas.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import { CronParams, UpdateCronBody } from './schema.js';
import { withoutNulls } from '../nulls.js';

export function registerUpdateCron(app: ApiApp, ctx: ServerContext): void {
  app.patch('/repos/:owner/:name/cron/:cron', { schema: { params: CronParams, body: UpdateCronBody.nullish() } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const cron = await ctx.store.crons.findByName(repo.id, request.params.cron);
    if (!cron) throw notFound();
    const patch = withoutNulls(request.body ?? {});
    if (patch.branch !== undefined) validateCronBranch(patch.branch);
    const updated = await ctx.store.crons.update(cron.id, patch);
    if (!updated) throw notFound();
    return updated;
  });
}
