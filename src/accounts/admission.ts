// Who may log in (research/drone-server.md §8.7): a returning user must be active and not a machine
// account; a new one must pass DRONE_REGISTRATION_CLOSED, DRONE_USER_FILTER (the login or one of its
// organisations) and DRONE_MIN_AGE. The SCM's email, avatar and token are stored at every login.

import type { RemoteUser, Token } from '../core/scm.js';
import type { UserStore } from '../core/store.js';
import type { User } from '../core/types.js';

/** A login this server refuses, with the reason shown to the person. */
export class LoginRefused extends Error {
  override name = 'LoginRefused';
}

export interface AdmissionDeps {
  users: Pick<UserStore, 'findByLogin' | 'createAccount' | 'recordLogin'>;
  /** The organisations of the token's user, asked only when a filter needs them. */
  orgs: (token: Token) => Promise<string[]>;
  settings: { registrationClosed: boolean; userFilter: string[]; minAgeMs: number };
}

export async function admitLogin(deps: AdmissionDeps, remote: RemoteUser, token: Token): Promise<{ user: User; created: boolean }> {
  const existing = await deps.users.findByLogin(remote.login);
  if (existing) {
    if (existing.machine) throw new LoginRefused('machine accounts cannot log in');
    if (!existing.active) throw new LoginRefused('this account is inactive');
    const user = await deps.users.recordLogin(existing.id, { email: remote.email, avatar: remote.avatar, token });
    if (!user) throw new LoginRefused('this account was deleted');
    return { user, created: false };
  }
  const { registrationClosed, userFilter, minAgeMs } = deps.settings;
  if (registrationClosed) throw new LoginRefused('registration is closed: ask an administrator to create your account');
  if (userFilter.length > 0 && !(await passesFilter(deps, remote, token))) {
    throw new LoginRefused(`${remote.login} is not allowed to register here (DRONE_USER_FILTER)`);
  }
  if (minAgeMs > 0 && remote.created > 0 && Date.now() - remote.created * 1000 < minAgeMs) {
    throw new LoginRefused('this account is too new to register here');
  }
  return { user: await deps.users.createAccount({ login: remote.login, email: remote.email, avatar: remote.avatar, token }), created: true };
}

async function passesFilter(deps: AdmissionDeps, remote: RemoteUser, token: Token): Promise<boolean> {
  const allowed = new Set(deps.settings.userFilter);
  if (allowed.has(remote.login.toLowerCase())) return true;
  return (await deps.orgs(token)).some((org) => allowed.has(org.toLowerCase()));
}
