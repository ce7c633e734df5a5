// DELETE /api/repos/{owner}/{name}/secrets/{secret}: 204.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo } from '../access.js';
import { notFound } from '../errors.js';

export function registerDeleteSecret(app: FastifyInstance, ctx: ServerContext): void {
  app.delete<{ Params: RepoParams & { secret: string } }>('/repos/:owner/:name/secrets/:secret', async (request, reply) => {
    const repo = await loadRepo(ctx, request, 'write');
    if (!(await ctx.store.secrets.deleteRepo(repo.id, request.params.secret))) throw notFound();
    return reply.code(204).send();
  });
}
