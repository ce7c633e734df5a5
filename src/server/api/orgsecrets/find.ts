// GET /api/secrets/{namespace}/{name}: one secret, without its value (members).

import type { ServerContext } from '../../context.js';
import { notFound } from '../errors.js';
import { requireMembership } from '../org-access.js';
import type { ApiApp } from '../schemas.js';
import { withoutValue } from '../secrets/schema.js';
import { OrgSecretParams } from './schema.js';

export function registerFindOrgSecret(app: ApiApp, ctx: ServerContext): void {
  app.get('/secrets/:namespace/:name', { schema: { params: OrgSecretParams } }, async (request) => {
    const { namespace, name } = request.params;
    await requireMembership(ctx, request, namespace, 'member');
    const secret = await ctx.store.orgSecrets.find(namespace, name);
    if (!secret) throw notFound();
    return withoutValue(secret);
  });
}
