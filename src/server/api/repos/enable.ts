// POST /api/repos/{owner}/{name}: enables a repository; the caller becomes its owner (the account whose SCM
// token the server uses for it). With an SCM, the repository and the caller's rights come from the SCM and
// a webhook is created there. With the local git provider the body names the clone URL:
// {"git_http_url": "<any URL git can clone>", "default_branch": "main"}, and the caller gets admin permission;
// a repository enabled before is enabled again with an empty body (drone-node's enableRepo sends none).
// There is no SCM to say who may see it, so it is private (signed-in users with permission, and admins)
// unless the body says `"visibility": "public"` (or "internal"); `private` only says whether runners get
// clone credentials (DRONE_GIT_USERNAME / DRONE_GIT_PASSWORD), as an SCM's private flag does.

import { z } from 'zod';
import { NotRepoAdmin } from '../../../accounts/activation.js';
import type { User } from '../../../core/types.js';
import type { ServerContext } from '../../context.js';
import { publicRepo, requireUser } from '../access.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { type ApiApp, RepoParams } from '../schemas.js';
import { configPath } from './config-path.js';

const LocalBody = z
  .object({
    git_http_url: z.string().min(1).max(2000).optional(),
    default_branch: z.string().min(1).max(255).optional(),
    private: z.boolean().optional(),
    visibility: z.enum(['public', 'private', 'internal']).optional(),
    config_path: configPath.optional(),
  })
  .strict();
type LocalBody = z.output<typeof LocalBody>;

const SLUG_PART = /^[A-Za-z0-9_.-]{1,100}$/;

export function registerEnableRepo(app: ApiApp, ctx: ServerContext): void {
  // An SCM needs no body; drone-node sends an empty form.
  app.post('/repos/:owner/:name', { schema: { params: RepoParams, body: LocalBody.nullish() } }, async (request) => {
    const user = requireUser(request);
    const { owner, name } = request.params;
    for (const [label, part] of [['owner', owner], ['name', name]] as const) {
      if (!SLUG_PART.test(part)) throw badRequest(`invalid repository ${label} "${part}"`);
    }
    if (ctx.scm.repos) {
      const repo = await ctx.activation.enable(user, `${owner}/${name}`).catch((err: unknown) => {
        throw err instanceof NotRepoAdmin ? new ApiError(403, err.message) : err;
      });
      return publicRepo(repo);
    }
    return publicRepo(await enableLocal(ctx, user, owner, name, request.body ?? {}));
  });
}

async function enableLocal(ctx: ServerContext, user: User, owner: string, name: string, body: LocalBody) {
  const existing = await ctx.store.repos.findBySlug(`${owner}/${name}`);
  if (existing && !user.admin) {
    const perms = await ctx.store.repos.permissions(user.id, existing.uid);
    if (!perms?.admin) throw notFound();
  }
  const gitHttpUrl = body.git_http_url ?? existing?.git_http_url;
  if (!gitHttpUrl) throw badRequest('git_http_url is required');
  return ctx.store.repos.enableLocal({
    namespace: owner,
    name,
    gitHttpUrl,
    defaultBranch: body.default_branch ?? existing?.default_branch ?? 'main',
    private: body.private ?? existing?.private ?? false,
    visibility: body.visibility ?? existing?.visibility ?? 'private',
    configPath: body.config_path ?? existing?.config_path ?? '.drone.yml',
    ownerId: user.id,
  });
}
