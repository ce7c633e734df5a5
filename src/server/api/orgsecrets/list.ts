// GET /api/secrets/{namespace}: the namespace's secrets, without their values (members).

import type { ServerContext } from '../../context.js';
import { requireMembership } from '../org-access.js';
import type { ApiApp } from '../schemas.js';
import { withoutValue } from '../secrets/schema.js';
import { OrgParams } from './schema.js';

export function registerListOrgSecrets(app: ApiApp, ctx: ServerContext): void {
  app.get('/secrets/:namespace', { schema: { params: OrgParams } }, async (request) => {
    const { namespace } = request.params;
    await requireMembership(ctx, request, namespace, 'member');
    return (await ctx.store.orgSecrets.list(namespace)).map(withoutValue);
  });
}
