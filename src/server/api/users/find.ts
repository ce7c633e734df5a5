// GET /api/users/{user} (system admin): one account, by login or id.

import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import { type ApiApp, LoginParams } from '../schemas.js';
import { loadUser } from './account.js';

export function registerFindUser(app: ApiApp, ctx: ServerContext): void {
  app.get('/users/:user', { schema: { params: LoginParams } }, async (request) => {
    requireAdmin(request);
    return loadUser(ctx, request.params.user);
  });
}
