// POST /api/repos/{owner}/{name}: enables a repository. With the local git provider the body names the
// clone URL: {"git_http_url": "<any URL git can clone>", "default_branch": "main"}; the caller becomes its
// owner (the account whose credentials runners use) with admin permission.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { type RepoParams, publicRepo, requireUser } from '../access.js';
import { badRequest, notFound } from '../errors.js';
import { parseBody } from '../validate.js';

const EnableBody = z
  .object({
    git_http_url: z.string().min(1, 'git_http_url is required'),
    default_branch: z.string().min(1).default('main'),
    private: z.boolean().default(false),
    visibility: z.enum(['public', 'private', 'internal']).optional(),
    config_path: z.string().min(1).default('.drone.yml'),
  })
  .strict();

const SLUG_PART = /^[A-Za-z0-9_.-]{1,100}$/;

export function registerEnableRepo(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: RepoParams }>('/repos/:owner/:name', async (request) => {
    const user = requireUser(request);
    const { owner, name } = request.params;
    const body = parseBody(EnableBody, request.body ?? {});
    for (const [label, part] of [['owner', owner], ['name', name]] as const) {
      if (!SLUG_PART.test(part)) throw badRequest(`invalid repository ${label} "${part}"`);
    }
    const existing = await ctx.store.repos.findBySlug(`${owner}/${name}`);
    if (existing && !user.admin) {
      const perms = await ctx.store.repos.permissions(user.id, existing.uid);
      if (!perms?.admin) throw notFound();
    }
    const repo = await ctx.store.repos.enableLocal({
      namespace: owner,
      name,
      gitHttpUrl: body.git_http_url,
      defaultBranch: body.default_branch,
      private: body.private,
      visibility: body.visibility ?? (body.private ? 'private' : 'public'),
      configPath: body.config_path,
      ownerId: user.id,
    });
    return publicRepo(repo);
  });
}
