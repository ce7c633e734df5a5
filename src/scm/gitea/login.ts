// Logging in with Gitea: OAuth2 at `{server}/login/oauth/authorize` and `/login/oauth/access_token`. Gitea
// checks `redirect_uri` against the application's registered one, so DRONE_GITEA_REDIRECT_URL is sent rather
// than the address the request came in on. Gitea's tokens expire (`expires_in`, an hour by default) and come
// with a refresh token. The account is `GET /user`, its organisations `GET /user/orgs`.

import type { LoginService, RemoteUser, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { text } from '../internal/json.js';
import { OAuth2Client } from '../internal/oauth2.js';
import { toRemoteUser } from './convert.js';
import { PAGE_SIZE } from './paths.js';

export interface GiteaLoginSettings {
  server: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  scope: string[];
  skipVerify: boolean;
  timeoutMs: number;
}

export function giteaLogin(api: ApiClient, settings: GiteaLoginSettings): LoginService {
  const oauth = new OAuth2Client({
    provider: 'Gitea',
    authorizeUrl: `${settings.server}/login/oauth/authorize`,
    tokenUrl: `${settings.server}/login/oauth/access_token`,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    scope: settings.scope,
    redirect: { kind: 'registered', uri: settings.redirectUrl },
    skipVerify: settings.skipVerify,
    timeoutMs: settings.timeoutMs,
  });
  return {
    kind: 'oauth2',
    authorizeUrl: (state, redirectUri) => oauth.authorizeUrl(state, redirectUri),
    exchange: (code, redirectUri) => oauth.exchange(code, redirectUri),
    refresh: (token) => oauth.refresh(token),
    async user(token: Token): Promise<RemoteUser> {
      return toRemoteUser(await api.get('/user', { token }));
    },
    async orgs(token: Token): Promise<string[]> {
      // `username` is the organisation's login; newer servers repeat it as `name`.
      return (await api.list('/user/orgs', { token }, PAGE_SIZE)).map((org) => text(org, 'username') || text(org, 'name'));
    },
  };
}
