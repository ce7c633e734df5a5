// The user's repositories and their webhooks through Gitea's REST API: `GET /user/repos` (with the user's
// permissions on each), `GET /repos/{slug}`, and `/repos/{slug}/hooks`. Enabling replaces every hook aimed at
// this server's host, as Drone does, so a repair or a moved server leaves exactly one.

import type { RemoteRepo, RepoRef, RepositoryService, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { type HookEndpoints, removeHooks, replaceHook } from '../internal/hooks.js';
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
    await replaceHook(this.endpoints(token, repo, hook), hook.url);
  }

  async deleteHook(token: Token | undefined, repo: RepoRef, url: string): Promise<void> {
    await removeHooks(this.endpoints(token, repo), url);
  }

  private endpoints(token: Token | undefined, repo: RepoRef, hook?: { url: string; secret: string; events: string[] }): HookEndpoints {
    return {
      list: async () => this.api.list(`${repoPath(repo.slug)}/hooks`, { token }, PAGE_SIZE),
      targetOf: (listed) => text(listed, 'config', 'url'),
      create: async () => {
        if (hook) await this.api.call('POST', `${repoPath(repo.slug)}/hooks`, {
          token,
          body: {
            type: 'gitea',
            active: true,
            events: [...new Set(hook.events.flatMap((event) => EVENTS[event] ?? []))],
            config: { url: hook.url, content_type: 'json', secret: hook.secret },
          },
        });
      },
      remove: async (id) => {
        await this.api.call('DELETE', `${repoPath(repo.slug)}/hooks/${id}`, { token }, [404]);
      },
    };
  }
}
