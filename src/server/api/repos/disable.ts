// DELETE /api/repos/{owner}/{name}: disables the repository (its history stays).

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo, publicRepo } from '../access.js';
import { notFound } from '../errors.js';

export function registerDisableRepo(app: FastifyInstance, ctx: ServerContext): void {
  app.delete<{ Params: RepoParams }>('/repos/:owner/:name', async (request) => {
    const repo = await loadRepo(ctx, request, 'admin');
    const updated = await ctx.store.repos.update(repo.id, { active: false });
    if (!updated) throw notFound();
    return publicRepo(updated);
  });
}
