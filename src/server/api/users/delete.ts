// DELETE /api/users/{user} (system admin): hands the user's repositories on as deactivation does, removes
// the account and its permissions; 204.

import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import { notFound } from '../errors.js';
import { type ApiApp, LoginParams } from '../schemas.js';
import { loadUser } from './account.js';

export function registerDeleteUser(app: ApiApp, ctx: ServerContext): void {
  app.delete('/users/:user', { schema: { params: LoginParams } }, async (request, reply) => {
    requireAdmin(request);
    const user = await loadUser(ctx, request.params.user);
    if (!(await ctx.store.users.delete(user.id))) throw notFound();
    return reply.code(204).send();
  });
}
