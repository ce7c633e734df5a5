// PATCH /api/repos/{owner}/{name}/cron/{cron}: {branch?, target?, disabled?}. The schedule is kept: a job
// enabled again after it was due while disabled fires at the next check, once, as on Drone.

import type { FastifyInstance } from 'fastify';
import { validateCronBranch } from '../../../trigger/cron/new-cron.js';
import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import { parseBody } from '../validate.js';
import { type CronParams, UpdateCronBody } from './schema.js';

export function registerUpdateCron(app: FastifyInstance, ctx: ServerContext): void {
  app.patch<{ Params: CronParams }>('/repos/:owner/:name/cron/:cron', async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const cron = await ctx.store.crons.findByName(repo.id, request.params.cron);
    if (!cron) throw notFound();
    const patch = parseBody(UpdateCronBody, request.body ?? {});
    if (patch.branch !== undefined) validateCronBranch(patch.branch);
    const updated = await ctx.store.crons.update(cron.id, patch);
    if (!updated) throw notFound();
    return updated;
  });
}
