// API authentication (research/drone-server.md §5.1), in Drone's order: `Authorization: [Bearer ]<token>`,
// then `?access_token=`, each looked up as a user's API token; then the `_session_` cookie of a browser
// login, unless the user signed out since it started. An unsafe method on a cookie session must come from
// this server's own pages (web/session.ts); a token needs no such proof. Anything else is a guest.

import type { FastifyRequest } from 'fastify';
import type { User } from '../../core/types.js';
import type { ServerContext } from '../context.js';
import { csrfValid, ownOrigins, sessionOf } from '../web/session.js';
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
  const session = sessionOf(request);
  if (!session) return undefined;
  const holder = await ctx.store.users.findSessionUser(session.userId);
  // Ended by a sign-out (on any server) after it started: refused.
  if (!holder || session.started < holder.sessionsAfter) return undefined;
  const { user } = holder;
  if (!user.active || user.machine) return undefined;
  if (!SAFE_METHODS.has(request.method) && !csrfValid(request, ctx.config.cookie.secret, ownOrigins(ctx.config.server))) {
    throw new ApiError(403, 'cross-site request refused: a browser session changes things only from this server\'s pages, or with the X-CSRF-Token of its _csrf_ cookie');
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
