// PATCH /api/user: the current user changes their email (the only field Drone applies; drone-node sends
// its whole user object).

import type { ServerContext } from '../../context.js';
import { requireUser } from '../access.js';
import type { ApiApp } from '../schemas.js';
import { UpdateSelfBody, written } from '../users/account.js';

export function registerUpdateSelf(app: ApiApp, ctx: ServerContext): void {
  app.patch('/user', { schema: { body: UpdateSelfBody } }, async (request) => {
    const user = requireUser(request);
    return written(await ctx.store.users.update(user.id, request.body)).user;
  });
}
