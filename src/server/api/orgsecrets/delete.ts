// DELETE /api/secrets/{namespace}/{name}: 204 (org admins).

import type { ServerContext } from '../../context.js';
import { notFound } from '../errors.js';
import { requireMembership } from '../org-access.js';
import type { ApiApp } from '../schemas.js';
import { OrgSecretParams } from './schema.js';

export function registerDeleteOrgSecret(app: ApiApp, ctx: ServerContext): void {
  app.delete('/secrets/:namespace/:name', { schema: { params: OrgSecretParams } }, async (request, reply) => {
    const { namespace, name } = request.params;
    await requireMembership(ctx, request, namespace, 'admin');
    if (!(await ctx.store.orgSecrets.delete(namespace, name))) throw notFound();
    return reply.code(204).send();
  });
}
