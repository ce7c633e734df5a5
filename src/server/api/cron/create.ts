// POST /api/repos/{owner}/{name}/cron: {name, expr, branch}. The name is stored in its slug form; a bad
// expression, an empty name or branch is a 400 with Drone's message; a name already used is a 409.

import { prepareNewCron } from '../../../trigger/cron/new-cron.js';
import type { ServerContext } from '../../context.js';
import { type ApiApp, RepoParams } from '../schemas.js';
import { loadRepo } from '../access.js';
import { conflict } from '../errors.js';
import { CreateCronBody } from './schema.js';

export function registerCreateCron(app: ApiApp, ctx: ServerContext): void {
  app.post('/repos/:owner/:name/cron', { schema: { params: RepoParams, body: CreateCronBody.nullish() } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const job = prepareNewCron(request.body ?? {}, Math.floor(Date.now() / 1000));
    const created = await ctx.store.crons.create(repo.id, job);
    if (!created) throw conflict(`cron ${job.name} already exists`);
    return created;
  });
}
