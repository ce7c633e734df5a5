// GET /api/repos/{owner}/{name}/hook (Hangar): where and how a repository's webhooks must be sent —
// the URL (from DRONE_SERVER_PROXY_HOST/PROTO) and the signing secret — for repository admins, so a
// post-receive hook can be installed (`hangar repo hook`). With an SCM the server registers the webhook
// itself and the secret is shown to no one (as in Drone): 404.

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { type ApiApp, RepoParams } from '../schemas.js';
import { notFound } from '../errors.js';

export function registerRepoHook(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/hook', { schema: { params: RepoParams } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'admin');
    if (ctx.scm.repos) throw notFound('the webhook of this repository is managed on the SCM');
    return { url: `${ctx.config.server.proxyAddr}/hook`, secret: repo.signer, events: ['push'] };
  });
}
