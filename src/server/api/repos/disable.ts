// DELETE /api/repos/{owner}/{name}: disables the repository (its history stays). With an SCM its webhook is
// removed first; when the SCM cannot remove it, the repository is disabled all the same and the warning is
// logged (deliveries to a disabled repository build nothing).

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo, publicRepo, requireUser } from '../access.js';
import { notFound } from '../errors.js';

export function registerDisableRepo(app: FastifyInstance, ctx: ServerContext): void {
  app.delete<{ Params: RepoParams }>('/repos/:owner/:name', async (request) => {
    const repo = await loadRepo(ctx, request, 'admin');
    if (ctx.scm.repos) {
      const { repo: disabled, warning } = await ctx.activation.disable(requireUser(request), repo);
      if (warning) request.log.warn({ repo: repo.slug }, warning);
      return publicRepo(disabled);
    }
    const updated = await ctx.store.repos.update(repo.id, { active: false });
    if (!updated) throw notFound();
    return publicRepo(updated);
  });
}
