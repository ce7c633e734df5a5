// GET /api/repos: every repository (system admins), paginated with `page` and `per_page`.

import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import { type ApiApp, PageQuery } from '../schemas.js';

export function registerListAllRepos(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos', { schema: { querystring: PageQuery } }, async (request) => {
    requireAdmin(request);
    return ctx.store.repos.listAll(request.query.page ?? 1, request.query.per_page ?? 25);
  });
}
