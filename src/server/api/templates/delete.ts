// DELETE /api/templates/{namespace}/{name}: 204 (org admins).

import type { ServerContext } from '../../context.js';
import { notFound } from '../errors.js';
import { requireMembership } from '../org-access.js';
import type { ApiApp } from '../schemas.js';
import { TemplateParams } from './schema.js';

export function registerDeleteTemplate(app: ApiApp, ctx: ServerContext): void {
  app.delete('/templates/:namespace/:name', { schema: { params: TemplateParams } }, async (request, reply) => {
    const { namespace, name } = request.params;
    await requireMembership(ctx, request, namespace, 'admin');
    if (!(await ctx.store.templates.delete(namespace, name))) throw notFound();
    return reply.code(204).send();
  });
}
