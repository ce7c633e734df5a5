// The user's repositories and their webhooks through GitHub's REST API: `GET /user/repos` (with the user's
// permissions on each), `GET /repos/{slug}`, and `/repos/{slug}/hooks`. Enabling replaces any hook aimed at
// this server's host, as Drone does, so a repair or a moved server leaves exactly one.

import type { RemoteRepo, RepoRef, RepositoryService, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { type HookEndpoints, removeHooks, replaceHook } from '../internal/hooks.js';
import { text } from '../internal/json.js';
import { toRemoteRepo } from './convert.js';

/** DRONE_INCOMING_WEBHOOK_EVENTS → GitHub's event names. */
const EVENTS: Record<string, string[]> = {
  push: ['push'],
  pull_request: ['pull_request'],
  tag: ['create'],
  branch: ['create', 'delete'],
  deployment: ['deployment'],
};

export class GitHubRepos implements RepositoryService {
  constructor(
    private readonly api: ApiClient,
    private readonly skipVerify: boolean,
  ) {}

  async list(token: Token | undefined): Promise<RemoteRepo[]> {
    return (await this.api.list('/user/repos', { token })).map(toRemoteRepo);
  }

  async find(token: Token | undefined, slug: string): Promise<RemoteRepo> {
    return toRemoteRepo(await this.api.get(`/repos/${slug}`, { token }));
  }

  async createHook(token: Token | undefined, repo: RepoRef, hook: { url: string; secret: string; events: string[] }): Promise<void> {
    await replaceHook(this.endpoints(token, repo, hook), hook.url);
  }

  async deleteHook(token: Token | undefined, repo: RepoRef, url: string): Promise<void> {
    await removeHooks(this.endpoints(token, repo), url);
  }

  private endpoints(token: Token | undefined, repo: RepoRef, hook?: { url: string; secret: string; events: string[] }): HookEndpoints {
    return {
      list: async () => this.api.list(`/repos/${repo.slug}/hooks`, { token }),
      targetOf: (listed) => text(listed, 'config', 'url'),
      create: async () => {
        if (hook) await this.api.call('POST', `/repos/${repo.slug}/hooks`, {
          token,
          body: {
            name: 'web',
            active: true,
            events: [...new Set(hook.events.flatMap((event) => EVENTS[event] ?? []))],
            config: { url: hook.url, secret: hook.secret, content_type: 'json', insecure_ssl: this.skipVerify ? '1' : '0' },
          },
        });
      },
      remove: async (id) => {
        await this.api.call('DELETE', `/repos/${repo.slug}/hooks/${id}`, { token }, [404]);
      },
    };
  }
}
