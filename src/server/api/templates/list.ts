// GET /api/templates/{namespace}: the namespace's templates with their data (members).

import type { ServerContext } from '../../context.js';
import { requireMembership } from '../org-access.js';
import type { ApiApp } from '../schemas.js';
import { TemplateNamespaceParams } from './schema.js';

export function registerListTemplates(app: ApiApp, ctx: ServerContext): void {
  app.get('/templates/:namespace', { schema: { params: TemplateNamespaceParams } }, async (request) => {
    const { namespace } = request.params;
    await requireMembership(ctx, request, namespace, 'member');
    return ctx.store.templates.list(namespace);
  });
}
