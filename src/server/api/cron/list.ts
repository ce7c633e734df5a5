// GET /api/repos/{owner}/{name}/cron: the repository's cron jobs ordered by name.

import type { ServerContext } from '../../context.js';
import { type ApiApp, RepoParams } from '../schemas.js';
import { loadRepo } from '../access.js';

export function registerListCrons(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/cron', { schema: { params: RepoParams } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    return ctx.store.crons.list(repo.id);
  });
}
