// GET /api/repos/{owner}/{name}/builds: newest first; `page`, `per_page` (≤ 100), `branch=` or `tag=`.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo } from '../access.js';
import { pagination } from '../pagination.js';

export function registerListBuilds(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: RepoParams; Querystring: Record<string, string> }>('/repos/:owner/:name/builds', async (request) => {
    const repo = await loadRepo(ctx, request, 'read');
    const { page, perPage } = pagination(request.query, { perPage: 25, maxPerPage: 100 });
    const { branch, tag } = request.query;
    const ref = branch ? `refs/heads/${branch}` : tag ? `refs/tags/${tag}` : undefined;
    return ctx.store.builds.list({ repoId: repo.id, page, perPage, ref });
  });
}
