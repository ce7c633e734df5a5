// POST /api/repos/{owner}/{name}/cron/{cron}: runs the job now, at its branch's head, without touching its
// schedule (Drone's HandleExec). Answers the build, or null when no pipeline runs for the cron event;
// 404 when the branch does not exist.

import { runCronJob } from '../../../trigger/cron/run-cron.js';
import type { ServerContext } from '../../context.js';
import { type ApiApp, FormBody } from '../schemas.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import { CronParams } from './schema.js';

export function registerExecuteCron(app: ApiApp, ctx: ServerContext): void {
  app.post('/repos/:owner/:name/cron/:cron', { schema: { params: CronParams, body: FormBody } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const cron = await ctx.store.crons.findByName(repo.id, request.params.cron);
    if (!cron) throw notFound();
    return runCronJob(ctx, repo, cron);
  });
}
