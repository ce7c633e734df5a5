// DELETE /api/repos/{owner}/{name}/cron/{cron}: 204. A run already due keeps its intent and is built.

import type { ServerContext } from '../../context.js';
import type { ApiApp } from '../schemas.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import { CronParams } from './schema.js';

export function registerDeleteCron(app: ApiApp, ctx: ServerContext): void {
  app.delete('/repos/:owner/:name/cron/:cron', { schema: { params: CronParams } }, async (request, reply) => {
    const repo = await loadRepo(ctx, request, 'write');
    const cron = await ctx.store.crons.findByName(repo.id, request.params.cron);
    if (!cron || !(await ctx.store.crons.delete(cron.id))) throw notFound();
    return reply.code(204).send();
  });
}
