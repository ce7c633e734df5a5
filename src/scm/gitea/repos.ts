// The user's repositories and their webhooks through Gitea's REST API: `GET /user/repos` (with the user's
// permissions on each), `GET /repos/{slug}`, and `/repos/{slug}/hooks`. Enabling replaces every hook aimed at
// this server's host, as Drone does, so a repair or a moved server leaves exactly one.

import type { RemoteRepo, RepoRef, RepositoryService, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { text } from '../internal/json.js';
import { toRemoteRepo } from './convert.js';
import { PAGE_SIZE, repoPath } from './paths.js';

/** DRONE_INCOMING_WEBHOOK_EVENTS → Gitea's event names. Gitea has no deployments. */
const EVENTS: Record<string, string[]> = {
  push: ['push'],
  pull_request: ['pull_request'],
  tag: ['create'],
  branch: ['create', 'delete'],
};

export class GiteaRepos implements RepositoryService {
  constructor(private readonly api: ApiClient) {}

  async list(token: Token | undefined): Promise<RemoteRepo[]> {
    return (await this.api.list('/user/repos', { token }, PAGE_SIZE)).map(toRemoteRepo);
  }

  async find(token: Token | undefined, slug: string): Promise<RemoteRepo> {
    return toRemoteRepo(await this.api.get(repoPath(slug), { token }));
  }

  async createHook(token: Token | undefined, repo: RepoRef, hook: { url: string; secret: string; events: string[] }): Promise<void> {
    await this.deleteHook(token, repo, hook.url);
    await this.api.call('POST', `${repoPath(repo.slug)}/hooks`, {
      token,
      body: {
        type: 'gitea',
        active: true,
        events: [...new Set(hook.events.flatMap((event) => EVENTS[event] ?? []))],
        config: { url: hook.url, content_type: 'json', secret: hook.secret },
      },
    });
  }

  async deleteHook(token: Token | undefined, repo: RepoRef, url: string): Promise<void> {
    const host = new URL(url).host;
    for (const hook of await this.api.list(`${repoPath(repo.slug)}/hooks`, { token }, PAGE_SIZE)) {
      const target = text(hook, 'config', 'url');
      if (target && sameHost(target, host)) await this.api.call('DELETE', `${repoPath(repo.slug)}/hooks/${text(hook, 'id')}`, { token }, [404]);
    }
  }
}

function sameHost(url: string, host: string): boolean {
  try {
    return new URL(url).host === host;
  } catch {
    return false;
  }
}
