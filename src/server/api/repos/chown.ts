// POST /api/repos/{owner}/{name}/chown: the caller becomes the repository's owner, whose SCM token the
// server uses for it (configuration reads, statuses, clone credentials).

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo, publicRepo, requireUser } from '../access.js';
import { notFound } from '../errors.js';

export function registerChownRepo(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: RepoParams }>('/repos/:owner/:name/chown', async (request) => {
    const repo = await loadRepo(ctx, request, 'admin');
    const updated = await ctx.store.repos.update(repo.id, { user_id: requireUser(request).id });
    if (!updated) throw notFound();
    return publicRepo(updated);
  });
}
