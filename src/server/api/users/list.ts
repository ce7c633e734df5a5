// GET /api/users (system admin): every account, by login.

import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import type { ApiApp } from '../schemas.js';

export function registerListUsers(app: ApiApp, ctx: ServerContext): void {
  app.get('/users', async (request) => {
    requireAdmin(request);
    return ctx.store.users.list();
  });
}
