// PATCH /api/users/{user} (system admin): admin and active as Drone applies them, plus machine and a new
// token (drone-go's UserPatch). Deactivating clears admin and hands the user's repositories to another
// collaborator with admin permission (the store does both with the change).

import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import { type ApiApp, LoginParams } from '../schemas.js';
import { UpdateUserBody, loadUser, written } from './account.js';

export function registerUpdateUser(app: ApiApp, ctx: ServerContext): void {
  app.patch('/users/:user', { schema: { params: LoginParams, body: UpdateUserBody } }, async (request) => {
    requireAdmin(request);
    const user = await loadUser(ctx, request.params.user);
    return written(await ctx.store.users.update(user.id, request.body)).user;
  });
}
