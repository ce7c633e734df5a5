// POST /api/repos/{owner}/{name}/repair: reads the repository again from the SCM (name, URLs, branch,
// visibility) and re-creates its webhook. The local git provider has nothing to repair: the repository is
// answered as it is.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo, publicRepo, requireUser } from '../access.js';

export function registerRepairRepo(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: RepoParams }>('/repos/:owner/:name/repair', async (request) => {
    const repo = await loadRepo(ctx, request, 'admin');
    if (!ctx.scm.repos) return publicRepo(repo);
    return publicRepo(await ctx.activation.repair(requireUser(request), repo));
  });
}
