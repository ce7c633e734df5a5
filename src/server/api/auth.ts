// API authentication (research/drone-server.md §5.1), in Drone's order: `Authorization: [Bearer ]<token>`,
// then `?access_token=`, each looked up as a user's API token; then the `_session_` cookie of a browser
// login, unless the user signed out since it started. An unsafe method on a cookie session must come from
// this server's own pages (web/session.ts); a token needs no such proof. Anything else is a guest.
// A request about a repository (/repos/{owner}/{name}/…) reads the caller and the repository in one
// statement; loadRepo (access.ts) then takes the repository from the request.

import type { FastifyRequest } from 'fastify';
import type { UserKey, UserWithRepo } from '../../core/store.js';
import type { RepoWithKeys, User } from '../../core/types.js';
import type { ServerContext } from '../context.js';
import { csrfValid, ownOrigins, sessionOf } from '../web/session.js';
import { ApiError } from './errors.js';

/** A repository read with the caller: `repo` undefined when there is none of that name. */
export interface RepoRead {
  slug: string;
  repo: RepoWithKeys | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: User | undefined;
    repoRead: RepoRead | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function authenticate(ctx: ServerContext, request: FastifyRequest): Promise<User | undefined> {
  return (await identify(ctx, request)).user;
}

/** The caller, and with `slug` the repository of that name, read together. */
export async function identify(ctx: ServerContext, request: FastifyRequest, slug?: string): Promise<{ user: User | undefined; repoRead?: RepoRead }> {
  const token = tokenOf(request);
  const session = token ? undefined : sessionOf(request);
  const key: UserKey | undefined = token ? { token } : session && { id: session.userId };
  if (!key) return { user: undefined };
  const found = await lookUp(ctx, key, slug);
  const repoRead = slug === undefined ? undefined : { slug, repo: found.repo };
  const { user } = found;
  if (!user || !user.active) return { user: undefined, repoRead };
  if (!session) return { user, repoRead };
  // A session ended by a sign-out (on any server) after it started, or a machine account's: refused.
  if (session.started < (found.sessionsAfter ?? 0) || user.machine) return { user: undefined, repoRead };
  if (!SAFE_METHODS.has(request.method) && !csrfValid(request, ctx.config.cookie.secret, ownOrigins(ctx.config.server))) {
    throw new ApiError(403, 'cross-site request refused: a browser session changes things only from this server\'s pages, or with the X-CSRF-Token of its _csrf_ cookie');
  }
  return { user, repoRead };
}

/** The user by API token or session, with the repository `slug` in the same statement when there is one. */
async function lookUp(ctx: ServerContext, key: UserKey, slug: string | undefined): Promise<UserWithRepo> {
  if (slug !== undefined) return ctx.store.users.findWithRepo(key, slug);
  if ('token' in key) return { user: await ctx.store.users.findByToken(key.token) };
  return (await ctx.store.users.findSessionUser(key.id)) ?? {};
}

/** `owner/name` of a route under /repos/{owner}/{name}. */
export function repoSlugOf(request: FastifyRequest): string | undefined {
  const params = request.params as { owner?: unknown; name?: unknown } | undefined;
  return typeof params?.owner === 'string' && typeof params.name === 'string' ? `${params.owner}/${params.name}` : undefined;
}

function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) return header.replace(/^Bearer\s+/i, '').trim() || undefined;
  const query = request.query as Record<string, unknown> | undefined;
  const token = query?.access_token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}
