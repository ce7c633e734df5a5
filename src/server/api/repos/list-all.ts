// GET /api/repos: every repository (system admins), paginated with `page` and `per_page`.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import { pagination } from '../pagination.js';

export function registerListAllRepos(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: Record<string, string> }>('/repos', async (request) => {
    requireAdmin(request);
    const { page, perPage } = pagination(request.query, { perPage: 25, maxPerPage: 10_000 });
    return ctx.store.repos.listAll(page, perPage);
  });
}
