// POST /api/users (system admin): creates an active account. A machine account's answer carries its API
// token (the only time it is shown); an existing login or token is a 409. Drone asks the SCM to correct a
// human login's spelling and email; the SCM ports can look up only a token's own account, so the login is
// kept as given.

import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import type { ApiApp } from '../schemas.js';
import { CreateUserBody, written } from './account.js';

export function registerCreateUser(app: ApiApp, ctx: ServerContext): void {
  app.post('/users', { schema: { body: CreateUserBody } }, async (request) => {
    requireAdmin(request);
    const body = request.body;
    const machine = body.machine ?? false;
    const { user, token } = written(
      await ctx.store.users.create({
        login: body.login,
        email: body.email ?? '',
        avatar: body.avatar || body.avatar_url || '',
        admin: body.admin ?? false,
        machine,
        token: body.token ?? '',
      }),
    );
    return machine ? { ...user, token } : user;
  });
}
