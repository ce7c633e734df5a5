// A user's permissions on a repository (research/drone-server.md §4.7): the row a sync or an earlier check
// stored, trusted for a short while, then asked of the SCM again on access. "No access" is stored too, so a
// refused user does not cost an SCM call per request. When the SCM cannot answer (down, or refusing the
// user's token), a stale row still counts for an hour; older than that it grants reading only, so an admin
// removed on the SCM does not keep admin while the SCM is away. With no row at all the SCM's error stands.

import type { Logger } from 'pino';
import { NotFoundError, UnauthorizedError, UpstreamError } from '../core/errors.js';
import type { Scm } from '../core/scm.js';
import type { RepoStore } from '../core/store.js';
import type { Permissions, Repo } from '../core/types.js';
import type { ScmCredentials } from './credentials.js';

export interface PermissionDeps {
  repos: Pick<RepoStore, 'permissions' | 'setPermissions'>;
  scm: Pick<Scm, 'repos'>;
  credentials: Pick<ScmCredentials, 'forUser'>;
  /** How long a stored row is trusted (ms). */
  ttlMs: number;
  log: Logger;
}

export class PermissionCache {
  constructor(private readonly deps: PermissionDeps) {}

  /** The user's permissions on the repository, undefined when the user has none. */
  async get(userId: number, repo: Repo): Promise<Permissions | undefined> {
    const { repos, scm, ttlMs, log } = this.deps;
    const cached = await repos.permissions(userId, repo.uid);
    const age = cached ? Date.now() - cached.synced * 1000 : Number.POSITIVE_INFINITY;
    if (!scm.repos || age < ttlMs) return cached && granted(cached);
    try {
      return await this.refresh(userId, repo);
    } catch (err) {
      if (!(err instanceof UpstreamError || err instanceof UnauthorizedError) || !cached) throw err;
      log.warn({ err, repo: repo.slug, user: userId }, 'permissions: the SCM did not answer, using the stored ones');
      const perms = granted(cached);
      return perms && (age < STALE_FULL_MS ? perms : { read: perms.read, write: false, admin: false });
    }
  }

  /** Asks the SCM and stores its answer. */
  private async refresh(userId: number, repo: Repo): Promise<Permissions | undefined> {
    const service = this.deps.scm.repos;
    if (!service) return undefined;
    const token = await this.deps.credentials.forUser(userId);
    let perms: Permissions | undefined;
    try {
      const remote = await service.find(token, repo.slug);
      perms = remote.uid === repo.uid || repo.uid === '' ? remote.permissions : undefined;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    await this.deps.repos.setPermissions(userId, repo.uid, perms ?? NONE);
    return perms && granted(perms);
  }
}

const NONE: Permissions = { read: false, write: false, admin: false };
/** How long past its last check a row still counts in full while the SCM cannot answer. */
const STALE_FULL_MS = 60 * 60_000;

/** The permissions, or undefined when they grant nothing (a stored "no access"). */
function granted(perms: Permissions): Permissions | undefined {
  return perms.read || perms.write || perms.admin ? { read: perms.read, write: perms.write, admin: perms.admin } : undefined;
}
