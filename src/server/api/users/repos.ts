// GET /api/users/{user}/repos (system admin): the repositories that user can read, by slug.

import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import { type ApiApp, LoginParams } from '../schemas.js';
import { loadUser } from './account.js';

export function registerListUserReposAdmin(app: ApiApp, ctx: ServerContext): void {
  app.get('/users/:user/repos', { schema: { params: LoginParams } }, async (request) => {
    requireAdmin(request);
    const user = await loadUser(ctx, request.params.user);
    return ctx.store.repos.listForUser(user.id);
  });
}
