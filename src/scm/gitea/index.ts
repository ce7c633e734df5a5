// The Gitea provider: DRONE_GITEA_SERVER, _CLIENT_ID, _CLIENT_SECRET, _REDIRECT_URL (`<server addr>/login`
// unless set), _SCOPE, _SKIP_VERIFY. The API is `{server}/api/v1` with `Authorization: Bearer <token>`.
// Runners clone with the owner's token as the login and `x-oauth-basic` as the password, as Drone's netrc does.

import type { Scm } from '../../core/scm.js';
import { ApiClient, bearer } from '../internal/api-client.js';
import { GiteaContents } from './contents.js';
import { giteaLogin } from './login.js';
import { GiteaRepos } from './repos.js';
import { GiteaStatuses } from './statuses.js';
import { giteaWebhooks } from './webhooks.js';

export interface GiteaSettings {
  server: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  scope: string[];
  skipVerify: boolean;
  timeoutMs: number;
}

export function createGitea(settings: GiteaSettings): Scm {
  const server = settings.server.replace(/\/+$/, '');
  const api = new ApiClient({
    provider: 'Gitea',
    baseUrl: `${server}/api/v1`,
    authorize: bearer,
    skipVerify: settings.skipVerify,
    timeoutMs: settings.timeoutMs,
  });
  return {
    name: 'gitea',
    hooks: giteaWebhooks,
    contents: new GiteaContents(api),
    statuses: new GiteaStatuses(api),
    repos: new GiteaRepos(api),
    login: giteaLogin(api, { ...settings, server }),
    cloneLogin: (token) => ({ login: token.access, password: 'x-oauth-basic' }),
  };
}
