// POST /api/repos/{owner}/{name}/cron/{cron}: runs the job now, at its branch's head, without touching its
// schedule (Drone's HandleExec). Answers the build, or null when no pipeline runs for the cron event;
// 404 when the branch does not exist.

import type { FastifyInstance } from 'fastify';
import { runCronJob } from '../../../trigger/cron/run-cron.js';
import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import type { CronParams } from './schema.js';

export function registerExecuteCron(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: CronParams }>('/repos/:owner/:name/cron/:cron', async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const cron = await ctx.store.crons.findByName(repo.id, request.params.cron);
    if (!cron) throw notFound();
    return runCronJob(ctx, repo, cron);
  });
}
