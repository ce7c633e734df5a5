// GET /api/repos/{owner}/{name}: the repository with the caller's permissions.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo, permissionsOf, publicRepo } from '../access.js';

export function registerFindRepo(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: RepoParams }>('/repos/:owner/:name', async (request) => {
    const repo = await loadRepo(ctx, request, 'read');
    return { ...publicRepo(repo), permissions: await permissionsOf(ctx, request, repo) };
  });
}
