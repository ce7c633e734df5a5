// GET /api/user/repos: the repositories the current user has permissions on, ordered by slug.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { requireUser } from '../access.js';

export function registerListUserRepos(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/user/repos', async (request) => ctx.store.repos.listForUser(requireUser(request).id));
}
