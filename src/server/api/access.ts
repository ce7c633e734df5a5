// Repository access checks, as Drone's CheckAccess (research/drone-server.md §5.1): a missing permission is
// a 404 (the repository's existence is not revealed), a guest asking for anything non-public a 401. A user's
// permissions come from the permission cache, which asks the SCM again once they are a few minutes old.

import type { FastifyRequest } from 'fastify';
import { UnauthorizedError, UpstreamError } from '../../core/errors.js';
import type { Permissions, RepoWithKeys } from '../../core/types.js';
import type { ServerContext } from '../context.js';
import type { RepoRead } from './auth.js';
import { notFound, unauthorized, forbidden } from './errors.js';

export type Access = 'read' | 'write' | 'admin';

export interface RepoParams {
  owner: string;
  name: string;
}

/** Loads `{owner}/{name}` (read with the caller when the request came that way) and checks the current user's access to it. */
export async function loadRepo(ctx: ServerContext, request: Pick<FastifyRequest, 'user'> & { params: RepoParams; repoRead?: RepoRead }, access: Access): Promise<RepoWithKeys> {
  const slug = `${request.params.owner}/${request.params.name}`;
  const repo = request.repoRead?.slug === slug ? request.repoRead.repo : await ctx.store.repos.findBySlug(slug);
  const user = request.user;
  if (!repo) throw user ? notFound() : unauthorized();
  if (!user) {
    if (access === 'read' && repo.visibility === 'public' && !ctx.config.server.privateMode) return repo;
    throw unauthorized();
  }
  if (user.admin) return repo;
  if (access === 'read' && (repo.visibility === 'public' || repo.visibility === 'internal')) return repo;
  if (!user.active) throw forbidden();
  const perms = await ctx.permissions.get(user.id, repo);
  if (!perms || !perms[access]) throw notFound();
  return repo;
}

/** The permissions shown with GET /api/repos/{owner}/{name}. */
export async function permissionsOf(ctx: ServerContext, request: FastifyRequest, repo: RepoWithKeys): Promise<Permissions> {
  const user = request.user;
  if (!user) return { read: repo.visibility === 'public', write: false, admin: false };
  if (user.admin) return { read: true, write: true, admin: true };
  const fallback = { read: repo.visibility !== 'private', write: false, admin: false };
  // The repository was already readable (loadRepo): an SCM that cannot say more does not fail the answer.
  const perms = await ctx.permissions.get(user.id, repo).catch((err: unknown) => {
    if (err instanceof UpstreamError || err instanceof UnauthorizedError) return undefined;
    throw err;
  });
  return perms ?? fallback;
}

/** The repository as the API shows it: never its signer or secret. */
export function publicRepo(repo: RepoWithKeys): Omit<RepoWithKeys, 'signer' | 'secret'> {
  const { signer: _signer, secret: _secret, ...rest } = repo;
  return rest;
}

export function requireUser(request: FastifyRequest): NonNullable<FastifyRequest['user']> {
  if (!request.user) throw unauthorized();
  return request.user;
}

export function requireAdmin(request: FastifyRequest): NonNullable<FastifyRequest['user']> {
  const user = requireUser(request);
  if (!user.admin) throw forbidden();
  return user;
}
