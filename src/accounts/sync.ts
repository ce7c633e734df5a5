// Repository sync (research/drone-server.md §8.7): the repositories a user sees on the SCM become rows (new
// ones inactive, known ones matched by the SCM's id so renames keep their builds), and the user's permission
// rows become exactly what the SCM says. Archived repositories and namespaces outside
// DRONE_REPOSITORY_FILTER are left out, as are nested namespaces (GitLab subgroups) Drone's routes can't name.
// Concurrent syncs of one user on this server share one run.

import type { Logger } from 'pino';
import type { RemoteRepo, Scm } from '../core/scm.js';
import type { RepoStore, UserStore } from '../core/store.js';
import type { ScmCredentials } from './credentials.js';

export interface SyncDeps {
  users: Pick<UserStore, 'markSyncing' | 'markSynced'>;
  repos: Pick<RepoStore, 'syncRemote' | 'replacePermissions'>;
  scm: Pick<Scm, 'name' | 'repos'>;
  credentials: Pick<ScmCredentials, 'forUser'>;
  settings: { repositoryFilter: string[]; repositoryTrusted: boolean };
  log: Logger;
}

export class RepoSync {
  private readonly running = new Map<number, Promise<number>>();

  constructor(private readonly deps: SyncDeps) {}

  /** Whether this server can sync at all (the local git provider has no repository list). */
  get available(): boolean {
    return this.deps.scm.repos !== undefined;
  }

  /** Syncs the user's repositories; resolves the number of repositories the user can see. */
  sync(userId: number): Promise<number> {
    let run = this.running.get(userId);
    if (!run) {
      run = this.run(userId).finally(() => this.running.delete(userId));
      this.running.set(userId, run);
    }
    return run;
  }

  /** `syncing` is set while it runs (Drone's UI polls it), and cleared whatever the outcome. */
  private async run(userId: number): Promise<number> {
    const { users } = this.deps;
    const started = Date.now();
    await users.markSyncing(userId);
    try {
      return await this.syncOnce(userId, started);
    } catch (err) {
      await users.markSynced(userId, 0);
      throw err;
    }
  }

  private async syncOnce(userId: number, started: number): Promise<number> {
    const { scm, repos, users, credentials, log } = this.deps;
    if (!scm.repos) return 0;
    const token = await credentials.forUser(userId);
    const remotes = (await scm.repos.list(token)).filter((remote) => this.wanted(remote));
    const stored = await repos.syncRemote(remotes, { scm: scm.name, trusted: this.deps.settings.repositoryTrusted });
    const byUid = new Map(remotes.map((remote) => [remote.uid, remote.permissions]));
    await repos.replacePermissions(
      userId,
      stored.flatMap((repo) => {
        const perms = byUid.get(repo.uid);
        return perms ? [{ repoUid: repo.uid, ...perms }] : [];
      }),
    );
    await users.markSynced(userId, Math.floor(Date.now() / 1000));
    log.info({ user: userId, repos: stored.length, ms: Date.now() - started }, 'repositories synced');
    return stored.length;
  }

  private wanted(remote: RemoteRepo): boolean {
    if (remote.archived || remote.namespace.includes('/')) return false;
    const filter = this.deps.settings.repositoryFilter;
    return filter.length === 0 || filter.some((namespace) => namespace.toLowerCase() === remote.namespace.toLowerCase());
  }
}
