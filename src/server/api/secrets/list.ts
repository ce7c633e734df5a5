// GET /api/repos/{owner}/{name}/secrets: the repository's secrets, without their values.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo } from '../access.js';
import { withoutValue } from './schema.js';

export function registerListSecrets(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: RepoParams }>('/repos/:owner/:name/secrets', async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    return (await ctx.store.secrets.listRepo(repo.id)).map(withoutValue);
  });
}
