// The Gogs provider: DRONE_GOGS_SERVER (its API answers under {server}/api/v1), _SKIP_VERIFY. Users sign in
// with their Gogs user name and password, which become an access token sent as `Authorization: token …`.
// Gogs has no commit statuses, so nothing is reported on commits. Runners clone with the owner's token as
// the login and `x-oauth-basic` as the password.

import type { Scm, Token } from '../../core/scm.js';
import { ApiClient } from '../internal/api-client.js';
import { GogsContents } from './contents.js';
import { gogsLogin } from './login.js';
import { GogsRepos } from './repos.js';
import { gogsWebhooks } from './webhooks.js';

export interface GogsSettings {
  server: string;
  skipVerify: boolean;
  timeoutMs: number;
}

export function createGogs(settings: GogsSettings): Scm {
  const api = new ApiClient({
    provider: 'Gogs',
    baseUrl: `${settings.server.replace(/\/+$/, '')}/api/v1`,
    authorize: (token: Token) => ({ authorization: `token ${token.access}` }),
    skipVerify: settings.skipVerify,
    timeoutMs: settings.timeoutMs,
  });
  return {
    name: 'gogs',
    hooks: gogsWebhooks,
    contents: new GogsContents(api),
    repos: new GogsRepos(api),
    login: gogsLogin(api),
    cloneLogin: (token) => ({ login: token.access, password: 'x-oauth-basic' }),
  };
}
