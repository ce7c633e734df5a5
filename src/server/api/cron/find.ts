// GET /api/repos/{owner}/{name}/cron/{cron}: one cron job by name.

import type { ServerContext } from '../../context.js';
import type { ApiApp } from '../schemas.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import { CronParams } from './schema.js';

export function registerFindCron(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/cron/:cron', { schema: { params: CronParams } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const cron = await ctx.store.crons.findByName(repo.id, request.params.cron);
    if (!cron) throw notFound();
    return cron;
  });
}
