// GET /api/user/repos: the repositories the current user has permissions on, ordered by slug; with
// `?latest=true` each carries its latest build as `build` (Drone's UI dashboard).

import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { requireUser } from '../access.js';
import { type ApiApp, QueryFlag } from '../schemas.js';

const ListReposQuery = z.object({ latest: QueryFlag.optional() });

export function registerListUserRepos(app: ApiApp, ctx: ServerContext): void {
  app.get('/user/repos', { schema: { querystring: ListReposQuery } }, async (request) => {
    const user = requireUser(request);
    return request.query.latest ? ctx.store.repos.listWithLatestBuild(user.id) : ctx.store.repos.listForUser(user.id);
  });
}
