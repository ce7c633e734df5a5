// GET /api/repos/{owner}/{name}/collaborators (read access): the users with permissions on the repository, by login.

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { type ApiApp, RepoParams } from '../schemas.js';

export function registerListCollaborators(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/collaborators', { schema: { params: RepoParams } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'read');
    return ctx.store.repos.collaborators(repo.uid);
  });
}
