// The user's repositories and their webhooks through Gogs' API: `GET /user/repos` (with the user's
// permissions on each), `GET /repos/{slug}`, and `/repos/{slug}/hooks`. Gogs answers these lists whole and
// ignores paging parameters, so each is one request (paging through them would repeat the first page).
// Enabling replaces any hook aimed at this server's host, as Drone does, so a repair or a moved server
// leaves exactly one.

import type { RemoteRepo, RepoRef, RepositoryService, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { type HookEndpoints, removeHooks, replaceHook } from '../internal/hooks.js';
import { asArray, text } from '../internal/json.js';
import { toRemoteRepo } from './convert.js';

/** DRONE_INCOMING_WEBHOOK_EVENTS → Gogs' event names (go-scm's mapping); Gogs has no deployments. */
const EVENTS: Record<string, string[]> = {
  push: ['push'],
  pull_request: ['pull_request'],
  tag: ['create', 'delete'],
  branch: ['create', 'delete'],
};

export class GogsRepos implements RepositoryService {
  constructor(private readonly api: ApiClient) {}

  async list(token: Token | undefined): Promise<RemoteRepo[]> {
    return asArray(await this.api.get('/user/repos', { token })).map(toRemoteRepo);
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
      list: async () => asArray(await this.api.get(`/repos/${repo.slug}/hooks`, { token })),
      targetOf: (listed) => text(listed, 'config', 'url'),
      create: async () => {
        if (hook) await this.api.call('POST', `/repos/${repo.slug}/hooks`, {
          token,
          body: {
            type: 'gogs',
            active: true,
            events: [...new Set(hook.events.flatMap((event) => EVENTS[event] ?? []))],
            config: { url: hook.url, content_type: 'json', secret: hook.secret },
          },
        });
      },
      remove: async (id) => {
        await this.api.call('DELETE', `/repos/${repo.slug}/hooks/${id}`, { token }, [404]);
      },
    };
  }
}
