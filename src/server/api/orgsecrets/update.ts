// POST and PATCH /api/secrets/{namespace}/{name}: {data?, pull_request?, pull_request_push?} (org admins).
// drone-node updates with POST, drone-go with PATCH; Drone routes both here.

import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { notFound } from '../errors.js';
import { requireMembership } from '../org-access.js';
import type { ApiApp } from '../schemas.js';
import { UpdateSecretBody, withoutValue } from '../secrets/schema.js';
import { OrgSecretParams } from './schema.js';

type UpdateRequest = FastifyRequest<{ Params: z.output<typeof OrgSecretParams>; Body: z.output<typeof UpdateSecretBody> }>;

export function registerUpdateOrgSecret(app: ApiApp, ctx: ServerContext): void {
  const options = { schema: { params: OrgSecretParams, body: UpdateSecretBody } };
  const update = async (request: UpdateRequest) => {
    const { namespace, name } = request.params;
    await requireMembership(ctx, request, namespace, 'admin');
    const secret = await ctx.store.orgSecrets.update(namespace, name, request.body);
    if (!secret) throw notFound();
    return withoutValue(secret);
  };
  app.post('/secrets/:namespace/:name', options, update);
  app.patch('/secrets/:namespace/:name', options, update);
}
