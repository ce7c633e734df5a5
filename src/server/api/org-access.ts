// Organisation access for org secrets and templates, as Drone's CheckMembership (research/drone-server.md
// §5.1): a guest is 401 "Unauthorized"; a signed-in user without the membership is 403 "Forbidden" (Drone
// answers 401 "Not Found", which tells a client to sign in again). Reads need membership, writes org admin.

import type { FastifyRequest } from 'fastify';
import type { OrgRole } from '../../accounts/org-membership.js';
import type { User } from '../../core/types.js';
import type { ServerContext } from '../context.js';
import { forbidden } from './errors.js';
import { requireUser } from './access.js';

/** The current user, once they have `role` in `namespace`. */
export async function requireMembership(ctx: ServerContext, request: FastifyRequest, namespace: string, role: OrgRole): Promise<User> {
  const user = requireUser(request);
  if (!(await ctx.membership.has(user, namespace, role))) throw forbidden();
  return user;
}
