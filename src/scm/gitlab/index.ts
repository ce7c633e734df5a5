// The GitLab provider (GitLab.com and self-managed): DRONE_GITLAB_CLIENT_ID, _CLIENT_SECRET, _SERVER (the
// API answers under {server}/api/v4), _REDIRECT_URL, _SKIP_VERIFY. Runners clone with the login `oauth2`
// and the owner's token as the password, as Drone's netrc service forms it for GitLab.

import type { Scm } from '../../core/scm.js';
import { ApiClient, bearer } from '../internal/api-client.js';
import { GitLabContents } from './contents.js';
import { gitLabLogin } from './login.js';
import { GitLabRepos } from './repos.js';
import { GitLabStatuses } from './statuses.js';
import { gitlabWebhooks } from './webhooks.js';

export interface GitLabSettings {
  server: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  skipVerify: boolean;
  timeoutMs: number;
}

export function createGitLab(settings: GitLabSettings): Scm {
  const server = settings.server.replace(/\/+$/, '');
  const api = new ApiClient({ provider: 'GitLab', baseUrl: `${server}/api/v4`, authorize: bearer, skipVerify: settings.skipVerify, timeoutMs: settings.timeoutMs });
  return {
    name: 'gitlab',
    hooks: gitlabWebhooks,
    contents: new GitLabContents(api),
    statuses: new GitLabStatuses(api),
    repos: new GitLabRepos(api, settings.skipVerify),
    login: gitLabLogin(api, { ...settings, server }),
    cloneLogin: (token) => ({ login: 'oauth2', password: token.access }),
  };
}
