// Logging in with GitLab: OAuth2 at `{server}/oauth/authorize` and `/oauth/token` with the configured
// redirect URL (GitLab requires it to match the application's). No scope is asked for, as Drone asks none:
// GitLab then grants the application's default (`api`), so an application registered for Drone works
// unchanged. The account comes from `GET /user`, its groups from `GET /groups`. Access tokens expire after
// two hours and each refresh returns a new refresh token, which replaces the old one.

import type { LoginService, RemoteUser, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { text } from '../internal/json.js';
import { OAuth2Client } from '../internal/oauth2.js';
import { toRemoteUser } from './convert.js';

export interface GitLabLoginSettings {
  server: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  skipVerify: boolean;
  timeoutMs: number;
}

/** Guest (10): membership of the group itself, not merely seeing it (an administrator sees every group). */
const MEMBER = 10;

export function gitLabLogin(api: ApiClient, settings: GitLabLoginSettings): LoginService {
  const oauth = new OAuth2Client({
    provider: 'GitLab',
    authorizeUrl: `${settings.server}/oauth/authorize`,
    tokenUrl: `${settings.server}/oauth/token`,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    scope: [],
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
      const groups = await api.list('/groups', { token, query: { min_access_level: MEMBER } });
      return groups.map((group) => text(group, 'full_path') || text(group, 'path'));
    },
  };
}
