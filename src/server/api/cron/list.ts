// GET /api/repos/{owner}/{name}/cron: the repository's cron jobs ordered by name.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo } from '../access.js';

export function registerListCrons(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: RepoParams }>('/repos/:owner/:name/cron', async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    return ctx.store.crons.list(repo.id);
  });
}
