// The user's projects and their webhooks through GitLab's REST API: `GET /projects?membership=true` (each
// with the user's access levels), `GET /projects/{path}`, and `/projects/{id}/hooks`. Enabling replaces any
// hook aimed at this server's host, as Drone does, so a repair or a moved server leaves exactly one.
// GitLab checks a hook with the `token` it sends back as X-Gitlab-Token, not with a signature.

import type { RemoteRepo, RepoRef, RepositoryService, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { type HookEndpoints, removeHooks, replaceHook } from '../internal/hooks.js';
import { text } from '../internal/json.js';
import { toRemoteRepo } from './convert.js';
import { projectBySlug, projectPath } from './project.js';

export class GitLabRepos implements RepositoryService {
  constructor(
    private readonly api: ApiClient,
    private readonly skipVerify: boolean,
  ) {}

  async list(token: Token | undefined): Promise<RemoteRepo[]> {
    return (await this.api.list('/projects', { token, query: { membership: 'true' } })).map(toRemoteRepo);
  }

  async find(token: Token | undefined, slug: string): Promise<RemoteRepo> {
    return toRemoteRepo(await this.api.get(projectBySlug(slug), { token }));
  }

  async createHook(token: Token | undefined, repo: RepoRef, hook: { url: string; secret: string; events: string[] }): Promise<void> {
    await replaceHook(this.endpoints(token, repo, hook), hook.url);
  }

  async deleteHook(token: Token | undefined, repo: RepoRef, url: string): Promise<void> {
    await removeHooks(this.endpoints(token, repo), url);
  }

  private endpoints(token: Token | undefined, repo: RepoRef, hook?: { url: string; secret: string; events: string[] }): HookEndpoints {
    return {
      list: async () => this.api.list(`${projectPath(repo)}/hooks`, { token }),
      targetOf: (listed) => text(listed, 'url'),
      create: async () => {
        if (hook) await this.api.call('POST', `${projectPath(repo)}/hooks`, { token, body: { url: hook.url, token: hook.secret, ...hookEvents(hook.events), enable_ssl_verification: !this.skipVerify } });
      },
      remove: async (id) => {
        await this.api.call('DELETE', `${projectPath(repo)}/hooks/${id}`, { token }, [404]);
      },
    };
  }
}

/**
 * DRONE_INCOMING_WEBHOOK_EVENTS → GitLab's switches. Branch creations and deletions arrive as pushes;
 * GitLab has no deployment hook Drone reads. Every switch is sent, since GitLab turns push events on
 * when the field is missing.
 */
function hookEvents(events: string[]): { push_events: boolean; tag_push_events: boolean; merge_requests_events: boolean } {
  const wanted = new Set(events);
  return { push_events: wanted.has('push') || wanted.has('branch'), tag_push_events: wanted.has('tag'), merge_requests_events: wanted.has('pull_request') };
}
