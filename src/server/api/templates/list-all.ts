// GET /api/templates: every namespace's templates (system admins: Drone checks membership of an empty
// namespace here, which only system admins pass).

import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import type { ApiApp } from '../schemas.js';

export function registerListAllTemplates(app: ApiApp, ctx: ServerContext): void {
  app.get('/templates', async (request) => {
    requireAdmin(request);
    return ctx.store.templates.listAll();
  });
}
