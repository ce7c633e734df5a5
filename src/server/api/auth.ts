// API authentication (research/drone-server.md §5.1): `Authorization: [Bearer ]<token>` or `?access_token=`,
// looked up as a user's API token. Anything else is a guest.

import type { FastifyRequest } from 'fastify';
import type { User } from '../../core/types.js';
import type { ServerContext } from '../context.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | undefined;
  }
}

export async function authenticate(ctx: ServerContext, request: FastifyRequest): Promise<User | undefined> {
  const token = tokenOf(request);
  if (!token) return undefined;
  const user = await ctx.store.users.findByToken(token);
  return user && user.active ? user : undefined;
}

function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) return header.replace(/^Bearer\s+/i, '').trim() || undefined;
  const query = request.query as Record<string, unknown> | undefined;
  const token = query?.access_token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}
