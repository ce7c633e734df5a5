// POST /api/user/token: the current user with their API `token`; `rotate=true` (query or form, as Drone
// reads it) replaces the token first.

import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { requireUser } from '../access.js';
import { notFound } from '../errors.js';
import { type ApiApp, QueryFlag } from '../schemas.js';

const RotateQuery = z.object({ rotate: QueryFlag.optional() });
const RotateForm = z.object({ rotate: z.union([QueryFlag, z.boolean()]).optional() }).nullish();

export function registerUserToken(app: ApiApp, ctx: ServerContext): void {
  app.post('/user/token', { schema: { querystring: RotateQuery, body: RotateForm } }, async (request) => {
    const user = requireUser(request);
    const rotate = request.query.rotate === true || request.body?.rotate === true;
    const token = rotate ? await ctx.store.users.rotateToken(user.id) : await ctx.store.users.apiToken(user.id);
    const current = rotate ? await ctx.store.users.find(user.id) : user;
    if (token === undefined || !current) throw notFound();
    return { ...current, token };
  });
}
