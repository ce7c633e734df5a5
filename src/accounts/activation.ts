// Enabling, disabling and repairing a repository of an SCM (research/drone-server.md §5.2, §7.7). Each
// step that can fail on the SCM comes before the state change that depends on it, so a failure changes
// nothing and the call can simply be repeated: enable creates the webhook, then activates; disable removes
// the webhook, then deactivates; repair refreshes the repository and re-creates its webhook.

import { NotFoundError, TransientError } from '../core/errors.js';
import type { RemoteRepo, RepositoryService, Scm, Token } from '../core/scm.js';
import type { RepoStore } from '../core/store.js';
import type { RepoWithKeys, User } from '../core/types.js';
import type { ScmCredentials } from './credentials.js';

export interface ActivationDeps {
  repos: Pick<RepoStore, 'syncRemote' | 'setPermissions' | 'update'>;
  scm: Pick<Scm, 'name' | 'repos'>;
  credentials: Pick<ScmCredentials, 'forUser'>;
  /** Where the SCM sends webhooks: `{DRONE_SERVER_PROXY_PROTO}://{DRONE_SERVER_PROXY_HOST}/hook`. */
  hookUrl: string;
  /** DRONE_INCOMING_WEBHOOK_EVENTS. */
  events: string[];
  /** DRONE_REPOSITORY_TRUSTED: a repository first seen here is trusted. */
  trusted: boolean;
}

/** Refused because the user lacks admin permission on the SCM. */
export class NotRepoAdmin extends Error {
  override name = 'NotRepoAdmin';
}

export class RepoActivation {
  constructor(private readonly deps: ActivationDeps) {}

  /** Enables `slug` for `user`, who becomes its owner: the SCM is asked for the repository and the user's rights. */
  async enable(user: User, slug: string): Promise<RepoWithKeys> {
    const { service, token } = await this.session(user);
    const remote = await service.find(token, slug);
    if (!remote.permissions.admin && !user.admin) throw new NotRepoAdmin(`${user.login} is not an admin of ${slug} on ${this.deps.scm.name}`);
    const repo = await this.store(user, remote);
    await service.createHook(token, repo, { url: this.deps.hookUrl, secret: repo.signer, events: this.deps.events });
    return this.required(await this.deps.repos.update(repo.id, { active: true, user_id: user.id }));
  }

  /**
   * Removes the repository's webhook, then disables it (its builds stay). The repository is disabled even when
   * the SCM cannot remove the webhook (the repository is gone there, the owner's token was revoked): a webhook
   * left behind is harmless, deliveries to a disabled repository build nothing. `warning` says what was left.
   */
  async disable(user: User, repo: RepoWithKeys): Promise<{ repo: RepoWithKeys; warning?: string }> {
    let warning: string | undefined;
    try {
      const { service, token } = await this.session(user, repo);
      await service.deleteHook(token, repo, this.deps.hookUrl);
    } catch (err) {
      if (err instanceof TransientError) throw err;
      warning = `the webhook could not be removed from ${this.deps.scm.name}: ${(err as Error).message}`;
    }
    return { repo: this.required(await this.deps.repos.update(repo.id, { active: false })), warning };
  }

  /** Brings the repository up to date with the SCM and re-creates its webhook (when active). */
  async repair(user: User, repo: RepoWithKeys): Promise<RepoWithKeys> {
    const { service, token } = await this.session(user, repo);
    const remote = await service.find(token, repo.slug);
    const stored = await this.store(user, remote);
    if (stored.active) await service.createHook(token, stored, { url: this.deps.hookUrl, secret: stored.signer, events: this.deps.events });
    return stored;
  }

  /**
   * A webhook names a known repository (by its SCM id) under another name: the SCM is asked, with the owner's
   * token, and only its answer is stored. A payload's names are never trusted (anyone holding a repository's
   * secret could otherwise move it into another namespace, and to that namespace's secrets).
   */
  async followRename(repo: RepoWithKeys, slug: string): Promise<RepoWithKeys> {
    const service = this.deps.scm.repos;
    if (!service || slug === repo.slug || repo.uid === '') return repo;
    const remote = await service.find(await this.deps.credentials.forUser(repo.user_id), slug);
    if (remote.uid !== repo.uid) return repo;
    const [stored] = await this.deps.repos.syncRemote([remote], { scm: this.deps.scm.name, trusted: this.deps.trusted });
    return stored?.uid === repo.uid ? stored : repo;
  }

  private async store(user: User, remote: RemoteRepo): Promise<RepoWithKeys> {
    const [stored] = await this.deps.repos.syncRemote([remote], { scm: this.deps.scm.name, trusted: this.deps.trusted });
    if (!stored) throw new NotFoundError(`repository ${remote.slug} could not be stored (another repository holds that name)`);
    await this.deps.repos.setPermissions(user.id, stored.uid, remote.permissions);
    return stored;
  }

  /** The SCM's repository service and a token: the user's own, else (an administrator without one) the owner's. */
  private async session(user: User, repo?: RepoWithKeys): Promise<{ service: RepositoryService; token: Token | undefined }> {
    const service = this.deps.scm.repos;
    if (!service) throw new NotFoundError('this server has no repository service');
    const token = (await this.deps.credentials.forUser(user.id)) ?? (repo ? await this.deps.credentials.forUser(repo.user_id) : undefined);
    return { service, token };
  }

  private required(repo: RepoWithKeys | undefined): RepoWithKeys {
    if (!repo) throw new NotFoundError('the repository was removed meanwhile');
    return repo;
  }
}
