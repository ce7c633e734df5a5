// GET /api/repos/{owner}/{name}: the repository with the caller's permissions.

import type { ServerContext } from '../../context.js';
import { loadRepo, permissionsOf, publicRepo } from '../access.js';
import { type ApiApp, RepoParams } from '../schemas.js';

export function registerFindRepo(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name', { schema: { params: RepoParams } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'read');
    return { ...publicRepo(repo), permissions: await permissionsOf(ctx, request, repo) };
  });
}
