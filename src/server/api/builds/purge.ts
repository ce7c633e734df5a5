// DELETE /api/repos/{owner}/{name}/builds?before=N (repo admin): deletes the builds numbered below N with
// their stages, steps and logs. 204.

import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { type ApiApp, RepoParams } from '../schemas.js';

const Query = z.object({ before: z.coerce.number({ error: 'before must be a build number' }).int().min(1).max(Number.MAX_SAFE_INTEGER) });

export function registerPurgeBuilds(app: ApiApp, ctx: ServerContext): void {
  app.delete('/repos/:owner/:name/builds', { schema: { params: RepoParams, querystring: Query } }, async (request, reply) => {
    const repo = await loadRepo(ctx, request, 'admin');
    const purged = await ctx.store.buildQueries.purge(repo.id, request.query.before);
    request.log.info({ repo: repo.slug, before: request.query.before, purged }, 'builds purged');
    return reply.code(204).send();
  });
}
