// POST /api/repos/{owner}/{name}/chown: the caller becomes the repository's owner, whose SCM token the
// server uses for it (configuration reads, statuses, clone credentials).

import type { ServerContext } from '../../context.js';
import { loadRepo, publicRepo, requireUser } from '../access.js';
import { type ApiApp, FormBody, RepoParams } from '../schemas.js';
import { notFound } from '../errors.js';

export function registerChownRepo(app: ApiApp, ctx: ServerContext): void {
  app.post('/repos/:owner/:name/chown', { schema: { params: RepoParams, body: FormBody } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'admin');
    const updated = await ctx.store.repos.update(repo.id, { user_id: requireUser(request).id });
    if (!updated) throw notFound();
    return publicRepo(updated);
  });
}
