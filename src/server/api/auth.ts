// API authentication (research/drone-server.md §5.1), in Drone's order: `Authorization: [Bearer ]<token>`,
// then `?access_token=`, each looked up as a user's API token; then the `_session_` cookie of a browser
// login. A cookie session must also carry its CSRF token on unsafe methods (a token needs none). Anything
// else is a guest.

import type { FastifyRequest } from 'fastify';
import type { User } from '../../core/types.js';
import type { ServerContext } from '../context.js';
import { csrfValid, sessionUserId } from '../web/session.js';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function authenticate(ctx: ServerContext, request: FastifyRequest): Promise<User | undefined> {
  const token = tokenOf(request);
  if (token) {
    const user = await ctx.store.users.findByToken(token);
    return user && user.active ? user : undefined;
  }
  const userId = sessionUserId(request);
  if (userId === undefined) return undefined;
  const user = await ctx.store.users.find(userId);
  if (!user || !user.active || user.machine) return undefined;
  if (!SAFE_METHODS.has(request.method) && !csrfValid(request, ctx.config.cookie.secret)) {
    throw new ApiError(403, 'missing or invalid X-CSRF-Token: a browser session sends the token of its _csrf_ cookie on POST, PUT, PATCH and DELETE');
  }
  return user;
}

function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) return header.replace(/^Bearer\s+/i, '').trim() || undefined;
  const query = request.query as Record<string, unknown> | undefined;
  const token = query?.access_token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}
