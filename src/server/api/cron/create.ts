// POST /api/repos/{owner}/{name}/cron: {name, expr, branch}. The name is stored in its slug form; a bad
// expression, an empty name or branch is a 400 with Drone's message; a name already used is a 409.

import type { FastifyInstance } from 'fastify';
import { prepareNewCron } from '../../../trigger/cron/new-cron.js';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo } from '../access.js';
import { conflict } from '../errors.js';
import { parseBody } from '../validate.js';
import { CreateCronBody } from './schema.js';

export function registerCreateCron(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: RepoParams }>('/repos/:owner/:name/cron', async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const job = prepareNewCron(parseBody(CreateCronBody, request.body ?? {}), Math.floor(Date.now() / 1000));
    const created = await ctx.store.crons.create(repo.id, job);
    if (!created) throw conflict(`cron ${job.name} already exists`);
    return created;
  });
}
