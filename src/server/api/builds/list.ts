// GET /api/repos/{owner}/{name}/builds: newest first; `page`, `per_page` (≤ 100), `branch=` or `tag=`.

import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { sendJsonOnce } from '../json-once.js';
import { type ApiApp, PageQuery, RepoParams } from '../schemas.js';

const Query = PageQuery.extend({ branch: z.string().max(255).optional(), tag: z.string().max(255).optional() });

export function registerListBuilds(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/builds', { schema: { params: RepoParams, querystring: Query } }, async (request, reply) => {
    const repo = await loadRepo(ctx, request, 'read');
    const { page = 1, per_page: perPage = 25, branch, tag } = request.query;
    const ref = branch ? `refs/heads/${branch}` : tag ? `refs/tags/${tag}` : undefined;
    // Drone answers more than 100 per page with its default of 25.
    return sendJsonOnce(reply, await ctx.store.builds.list({ repoId: repo.id, page, perPage: perPage > 100 ? 25 : perPage, ref }));
  });
}
