// GET /api/templates/{namespace}/{name}: one template with its data (members).

import type { ServerContext } from '../../context.js';
import { notFound } from '../errors.js';
import { requireMembership } from '../org-access.js';
import type { ApiApp } from '../schemas.js';
import { TemplateParams } from './schema.js';

export function registerFindTemplate(app: ApiApp, ctx: ServerContext): void {
  app.get('/templates/:namespace/:name', { schema: { params: TemplateParams } }, async (request) => {
    const { namespace, name } = request.params;
    await requireMembership(ctx, request, namespace, 'member');
    const template = await ctx.store.templates.find(namespace, name);
    if (!template) throw notFound();
    return template;
  });
}
