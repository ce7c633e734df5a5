// DELETE /api/repos/{owner}/{name}: disables the repository (its history stays). With an SCM its webhook is
// removed first; if the SCM fails, nothing changes and the answer says so (502).

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo, publicRepo, requireUser } from '../access.js';
import { notFound } from '../errors.js';

export function registerDisableRepo(app: FastifyInstance, ctx: ServerContext): void {
  app.delete<{ Params: RepoParams }>('/repos/:owner/:name', async (request) => {
    const repo = await loadRepo(ctx, request, 'admin');
    if (ctx.scm.repos) return publicRepo(await ctx.activation.disable(requireUser(request), repo));
    const updated = await ctx.store.repos.update(repo.id, { active: false });
    if (!updated) throw notFound();
    return publicRepo(updated);
  });
}
