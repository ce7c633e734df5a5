// POST /api/users/{user}/token/rotate (system admin): a new random API token for the user; the old one stops
// working at once. Answers the user with its new `token`.

import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import { notFound } from '../errors.js';
import { type ApiApp, FormBody, LoginParams } from '../schemas.js';
import { loadUser } from './account.js';

export function registerRotateUserToken(app: ApiApp, ctx: ServerContext): void {
  app.post('/users/:user/token/rotate', { schema: { params: LoginParams, body: FormBody } }, async (request) => {
    requireAdmin(request);
    const user = await loadUser(ctx, request.params.user);
    const token = await ctx.store.users.rotateToken(user.id);
    const rotated = token === undefined ? undefined : await ctx.store.users.find(user.id);
    if (token === undefined || !rotated) throw notFound();
    return { ...rotated, token };
  });
}
