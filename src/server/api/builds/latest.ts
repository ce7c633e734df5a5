// GET /api/repos/{owner}/{name}/builds/latest: the newest build on `?branch=` (as refs/heads/…), else on
// `?ref=`, else on the default branch — with its stages and their steps; 404 when there is none. Fastify
// matches this static path before `/builds/:number`.

import type { RepoWithKeys } from '../../../core/types.js';
import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import { type ApiApp, RefQuery, RepoParams } from '../schemas.js';

/** The ref a latest-build request names, as Drone resolves it (`branch` wins over `ref`). */
export function requestedRef(query: { ref?: string; branch?: string }, repo: RepoWithKeys): string {
  if (query.branch) return `refs/heads/${query.branch}`;
  return query.ref || `refs/heads/${repo.default_branch}`;
}

export function registerLatestBuild(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/builds/latest', { schema: { params: RepoParams, querystring: RefQuery } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'read');
    const build = await ctx.store.builds.latest(repo.id, requestedRef(request.query, repo));
    if (!build) throw notFound();
    return { ...build, stages: await ctx.store.builds.stages(build.id, true) };
  });
}
