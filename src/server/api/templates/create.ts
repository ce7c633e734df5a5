// POST /api/templates/{namespace}: {name, data} (org admins); 409 if the name exists.

import type { ServerContext } from '../../context.js';
import { conflict } from '../errors.js';
import { requireMembership } from '../org-access.js';
import type { ApiApp } from '../schemas.js';
import { CreateTemplateBody, TemplateNamespaceParams } from './schema.js';

export function registerCreateTemplate(app: ApiApp, ctx: ServerContext): void {
  app.post('/templates/:namespace', { schema: { params: TemplateNamespaceParams, body: CreateTemplateBody } }, async (request) => {
    const { namespace } = request.params;
    await requireMembership(ctx, request, namespace, 'admin');
    const template = await ctx.store.templates.create({ namespace, name: request.body.name, data: request.body.data });
    if (!template) throw conflict(`template ${request.body.name} already exists`);
    return template;
  });
}
