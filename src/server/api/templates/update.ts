// PUT and PATCH /api/templates/{namespace}/{name}: {data?, namespace?} (org admins of the namespace, and
// of the one it moves to); 409 when the target namespace has a template of that name.

import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { conflict, notFound } from '../errors.js';
import { requireMembership } from '../org-access.js';
import type { ApiApp } from '../schemas.js';
import { TemplateParams, UpdateTemplateBody } from './schema.js';

type UpdateRequest = FastifyRequest<{ Params: z.output<typeof TemplateParams>; Body: z.output<typeof UpdateTemplateBody> }>;

export function registerUpdateTemplate(app: ApiApp, ctx: ServerContext): void {
  const options = { schema: { params: TemplateParams, body: UpdateTemplateBody } };
  const update = async (request: UpdateRequest) => {
    const { namespace, name } = request.params;
    await requireMembership(ctx, request, namespace, 'admin');
    if (request.body.namespace !== undefined) await requireMembership(ctx, request, request.body.namespace, 'admin');
    const template = await ctx.store.templates.update(namespace, name, request.body);
    if (template === 'conflict') throw conflict(`template ${name} already exists in ${request.body.namespace}`);
    if (!template) throw notFound();
    return template;
  };
  app.put('/templates/:namespace/:name', options, update);
  app.patch('/templates/:namespace/:name', options, update);
}
