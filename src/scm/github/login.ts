// Logging in with GitHub: OAuth2 at `{server}/login/oauth/authorize` and `/login/oauth/access_token` (the
// app's registered callback, so no redirect_uri, as Drone sends none); the account from `GET /user`, its
// primary verified email from `GET /user/emails` when the profile shows none, its organisations from
// `GET /user/orgs`, and the user's role in one from `GET /orgs/{org}/memberships/{user}`. GitHub's OAuth app
// tokens do not expire.

import { NotFoundError } from '../../core/errors.js';
import type { LoginService, OrgMembership, RemoteUser, Token } from '../../core/scm.js';
import { type ApiClient, segment } from '../internal/api-client.js';
import { asArray, flag, text } from '../internal/json.js';
import { OAuth2Client } from '../internal/oauth2.js';
import { toRemoteUser } from './convert.js';

export interface GitHubLoginSettings {
  server: string;
  clientId: string;
  clientSecret: string;
  scope: string[];
  skipVerify: boolean;
  timeoutMs: number;
}

export function gitHubLogin(api: ApiClient, settings: GitHubLoginSettings): LoginService {
  const oauth = new OAuth2Client({
    provider: 'GitHub',
    authorizeUrl: `${settings.server}/login/oauth/authorize`,
    tokenUrl: `${settings.server}/login/oauth/access_token`,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    scope: settings.scope,
    redirect: { kind: 'none' },
    skipVerify: settings.skipVerify,
    timeoutMs: settings.timeoutMs,
  });
  return {
    kind: 'oauth2',
    authorizeUrl: (state, redirectUri) => oauth.authorizeUrl(state, redirectUri),
    exchange: (code, redirectUri) => oauth.exchange(code, redirectUri),
    async user(token: Token): Promise<RemoteUser> {
      const user = toRemoteUser(await api.get('/user', { token }));
      if (!user.email) {
        const emails = asArray(await api.get('/user/emails', { token }).catch(() => []));
        const primary = emails.find((entry) => flag(entry, 'primary') && flag(entry, 'verified'));
        user.email = text(primary, 'email');
      }
      return user;
    },
    async orgs(token: Token): Promise<string[]> {
      return (await api.list('/user/orgs', { token })).map((org) => text(org, 'login'));
    },
    async membership(token: Token, org: string, login: string): Promise<OrgMembership> {
      try {
        const found = await api.get(`/orgs/${segment(org)}/memberships/${segment(login)}`, { token });
        const active = text(found, 'state') === 'active';
        const role = text(found, 'role');
        return { member: active && (role === 'admin' || role === 'member'), admin: active && role === 'admin' };
      } catch (err) {
        // Not a member, or no such organisation (a user's own namespace).
        if (err instanceof NotFoundError) return { member: false, admin: false };
        throw err;
      }
    },
  };
}
