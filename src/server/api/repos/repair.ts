// POST /api/repos/{owner}/{name}/repair: reads the repository again from the SCM (name, URLs, branch,
// visibility) and re-creates its webhook. The local git provider has nothing to repair: the repository is
// answered as it is.

import type { ServerContext } from '../../context.js';
import { loadRepo, publicRepo, requireUser } from '../access.js';
import { type ApiApp, FormBody, RepoParams } from '../schemas.js';

export function registerRepairRepo(app: ApiApp, ctx: ServerContext): void {
  app.post('/repos/:owner/:name/repair', { schema: { params: RepoParams, body: FormBody } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'admin');
    if (!ctx.scm.repos) return publicRepo(repo);
    return publicRepo(await ctx.activation.repair(requireUser(request), repo));
  });
}
