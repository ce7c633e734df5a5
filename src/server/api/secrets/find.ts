// GET /api/repos/{owner}/{name}/secrets/{secret}: one secret, without its value.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import { withoutValue } from './schema.js';

export function registerFindSecret(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: RepoParams & { secret: string } }>('/repos/:owner/:name/secrets/:secret', async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const secret = await ctx.store.secrets.findRepo(repo.id, request.params.secret);
    if (!secret) throw notFound();
    return withoutValue(secret);
  });
}
