// GET /api/repos/{owner}/{name}/cron/{cron}: one cron job by name.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import type { CronParams } from './schema.js';

export function registerFindCron(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: CronParams }>('/repos/:owner/:name/cron/:cron', async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const cron = await ctx.store.crons.findByName(repo.id, request.params.cron);
    if (!cron) throw notFound();
    return cron;
  });
}
