// POST /api/repos/{owner}/{name}: enables a repository; the caller becomes its owner (the account whose SCM
// token the server uses for it). With an SCM, the repository and the caller's rights come from the SCM and
// a webhook is created there. With the local git provider the body names the clone URL:
// {"git_http_url": "<any URL git can clone>", "default_branch": "main"}, and the caller gets admin permission.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotRepoAdmin } from '../../../accounts/activation.js';
import type { User } from '../../../core/types.js';
import type { ServerContext } from '../../context.js';
import { type RepoParams, publicRepo, requireUser } from '../access.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { parseBody } from '../validate.js';
import { configPath } from './config-path.js';

const LocalBody = z
  .object({
    git_http_url: z.string().min(1, 'git_http_url is required'),
    default_branch: z.string().min(1).default('main'),
    private: z.boolean().default(false),
    visibility: z.enum(['public', 'private', 'internal']).optional(),
    config_path: configPath.default('.drone.yml'),
  })
  .strict();

const SLUG_PART = /^[A-Za-z0-9_.-]{1,100}$/;

export function registerEnableRepo(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: RepoParams }>('/repos/:owner/:name', async (request) => {
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
    return publicRepo(await enableLocal(ctx, user, owner, name, request.body));
  });
}

async function enableLocal(ctx: ServerContext, user: User, owner: string, name: string, rawBody: unknown) {
  const body = parseBody(LocalBody, rawBody ?? {});
  const existing = await ctx.store.repos.findBySlug(`${owner}/${name}`);
  if (existing && !user.admin) {
    const perms = await ctx.store.repos.permissions(user.id, existing.uid);
    if (!perms?.admin) throw notFound();
  }
  return ctx.store.repos.enableLocal({
    namespace: owner,
    name,
    gitHttpUrl: body.git_http_url,
    defaultBranch: body.default_branch,
    private: body.private,
    visibility: body.visibility ?? (body.private ? 'private' : 'public'),
    configPath: body.config_path,
    ownerId: user.id,
  });
}
