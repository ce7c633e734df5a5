// Logging in with Gogs: no OAuth, a user name and password that the server turns into an access token, as
// Drone's gogs login does. With HTTP Basic auth it lists the user's tokens (`GET /users/{name}/tokens`) and
// reuses the one named `drone`, else creates it (`POST /users/{name}/tokens`); the token is its `sha1`.
//
// Since Gogs 0.13 the listed `sha1` is a digest of the token, not the token (only creation answers the
// real value), so Drone's second login on such a server stores a token that does not work (gogs/gogs#7172).
// A listed token is therefore tried on `GET /user` first; when it is refused, a new one is created under
// the next free name (`drone-2`, `drone-3`…), since Gogs' API cannot delete tokens. Tokens never expire.

import { UnauthorizedError } from '../../core/errors.js';
import type { LoginService, RemoteUser, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { asArray, text } from '../internal/json.js';
import { toRemoteUser } from './convert.js';

const TOKEN_NAME = 'drone';

export function gogsLogin(api: ApiClient): LoginService {
  return {
    kind: 'password',
    authenticate: (username, password) => authenticate(api, username, password),
    async user(token: Token): Promise<RemoteUser> {
      return toRemoteUser(await api.get('/user', { token }));
    },
    async orgs(token: Token): Promise<string[]> {
      return asArray(await api.get('/user/orgs', { token })).map((org) => text(org, 'username'));
    },
  };
}

async function authenticate(api: ApiClient, username: string, password: string): Promise<Token> {
  const call = { headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` } };
  const tokensPath = `/users/${encodeURIComponent(username)}/tokens`;
  const listed = await api.call('GET', tokensPath, call, [401, 403]);
  if (listed.status === 401 || listed.status === 403) throw new UnauthorizedError('Gogs did not accept this user name and password.');
  const tokens = asArray(listed.json);
  const names = new Set(tokens.map((entry) => text(entry, 'name')));
  const existing = text(tokens.find((entry) => text(entry, 'name') === TOKEN_NAME), 'sha1');
  if (existing && (await works(api, existing))) return { access: existing, refresh: '', expiry: 0 };
  const created = await api.call('POST', tokensPath, { ...call, body: { name: freeName(names) } }, [401, 403]);
  if (created.status === 401 || created.status === 403) throw new UnauthorizedError('Gogs did not accept this user name and password.');
  const access = text(created.json, 'sha1');
  if (!access) throw new UnauthorizedError('Gogs created no access token for this account.');
  return { access, refresh: '', expiry: 0 };
}

async function works(api: ApiClient, access: string): Promise<boolean> {
  const answer = await api.call('GET', '/user', { token: { access, refresh: '', expiry: 0 } }, [401, 403]);
  return answer.status >= 200 && answer.status < 300;
}

function freeName(taken: Set<string>): string {
  if (!taken.has(TOKEN_NAME)) return TOKEN_NAME;
  let n = 2;
  while (taken.has(`${TOKEN_NAME}-${n}`)) n++;
  return `${TOKEN_NAME}-${n}`;
}
