// GET /api/secrets: every organisation's secrets, without their values (system admins).

import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import type { ApiApp } from '../schemas.js';
import { withoutValue } from '../secrets/schema.js';

export function registerListAllOrgSecrets(app: ApiApp, ctx: ServerContext): void {
  app.get('/secrets', async (request) => {
    requireAdmin(request);
    return (await ctx.store.orgSecrets.listAll()).map(withoutValue);
  });
}
