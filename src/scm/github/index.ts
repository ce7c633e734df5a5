// The GitHub provider (GitHub.com and GitHub Enterprise): DRONE_GITHUB_CLIENT_ID, _CLIENT_SECRET, _SERVER
// (Enterprise answers its API under {server}/api/v3), _API_SERVER, _SCOPE, _SKIP_VERIFY. Runners clone with
// the owner's token as the login and `x-oauth-basic` as the password.

import type { Scm } from '../../core/scm.js';
import { ApiClient, bearer } from '../internal/api-client.js';
import { GitHubContents } from './contents.js';
import { gitHubLogin } from './login.js';
import { GitHubRepos } from './repos.js';
import { GitHubStatuses } from './statuses.js';
import { githubWebhooks } from './webhooks.js';

export interface GitHubSettings {
  server: string;
  apiServer: string;
  clientId: string;
  clientSecret: string;
  scope: string[];
  skipVerify: boolean;
  timeoutMs: number;
}

export function createGitHub(settings: GitHubSettings): Scm {
  const api = new ApiClient({
    provider: 'GitHub',
    baseUrl: settings.apiServer,
    authorize: bearer,
    skipVerify: settings.skipVerify,
    timeoutMs: settings.timeoutMs,
    headers: { accept: 'application/vnd.github+json' },
  });
  return {
    name: 'github',
    hooks: githubWebhooks,
    contents: new GitHubContents(api),
    statuses: new GitHubStatuses(api),
    repos: new GitHubRepos(api, settings.skipVerify),
    login: gitHubLogin(api, settings),
    cloneLogin: (token) => ({ login: token.access, password: 'x-oauth-basic' }),
  };
}
