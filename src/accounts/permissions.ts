// A user's permissions on a repository (research/drone-server.md §4.7): the row a sync or an earlier check
// stored, trusted for a short while, then asked of the SCM again on access. When the SCM cannot answer, a
// stale row is better than locking the user out; with no row at all the caller gets the SCM's error.

import type { Logger } from 'pino';
import { NotFoundError, UpstreamError } from '../core/errors.js';
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
    const fresh = cached && cached.synced * 1000 + ttlMs > Date.now();
    if (!scm.repos || fresh) return cached && strip(cached);
    try {
      return await this.refresh(userId, repo);
    } catch (err) {
      if (!(err instanceof UpstreamError) || !cached) throw err;
      log.warn({ err, repo: repo.slug, user: userId }, 'permissions: the SCM did not answer, using the stored ones');
      return strip(cached);
    }
  }

  /** Asks the SCM and stores its answer. */
  async refresh(userId: number, repo: Repo): Promise<Permissions | undefined> {
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
    await this.deps.repos.setPermissions(userId, repo.uid, perms);
    return perms;
  }
}

function strip(perms: Permissions): Permissions {
  return { read: perms.read, write: perms.write, admin: perms.admin };
}
