// POST /api/secrets/{namespace}: {name, data, pull_request, pull_request_push} (org admins); 409 if the
// name exists.

import type { ServerContext } from '../../context.js';
import { conflict } from '../errors.js';
import { requireMembership } from '../org-access.js';
import type { ApiApp } from '../schemas.js';
import { CreateSecretBody, withoutValue } from '../secrets/schema.js';
import { OrgParams } from './schema.js';

export function registerCreateOrgSecret(app: ApiApp, ctx: ServerContext): void {
  app.post('/secrets/:namespace', { schema: { params: OrgParams, body: CreateSecretBody } }, async (request) => {
    const { namespace } = request.params;
    await requireMembership(ctx, request, namespace, 'admin');
    const secret = await ctx.store.orgSecrets.create(namespace, request.body);
    if (!secret) throw conflict(`secret ${request.body.name} already exists`);
    return withoutValue(secret);
  });
}
