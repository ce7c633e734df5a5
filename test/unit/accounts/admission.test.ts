// Who may log in: returning users (not machines, not deactivated), and new ones through
// DRONE_REGISTRATION_CLOSED, DRONE_USER_FILTER (login or organisation) and DRONE_MIN_AGE.

import { describe, expect, it } from 'vitest';
import { LoginRefused, admitLogin } from '../../../src/accounts/admission.js';
import type { NewAccount } from '../../../src/core/store.js';
import type { User } from '../../../src/core/types.js';

const TOKEN = { access: 't', refresh: '', expiry: 0 };
const remote = (login: string, created = 0) => ({ login, email: `${login}@example.com`, avatar: '', created });

function users(existing: Partial<User>[] = []) {
  const rows = existing.map((u, i) => ({ id: i + 1, login: '', active: true, machine: false, admin: false, ...u }) as User);
  const logins: string[] = [];
  return {
    rows,
    logins,
    findByLogin: async (login: string) => rows.find((u) => u.login === login),
    createAccount: async (input: NewAccount) => {
      const user = { id: rows.length + 1, login: input.login, email: input.email, active: true, machine: false, admin: false } as User;
      rows.push(user);
      return user;
    },
    recordLogin: async (id: number) => {
      logins.push(String(id));
      return rows.find((u) => u.id === id);
    },
  };
}

const settings = (overrides: Partial<{ registrationClosed: boolean; userFilter: string[]; minAgeMs: number }> = {}) => ({ registrationClosed: false, userFilter: [], minAgeMs: 0, ...overrides });

describe('login admission', () => {
  it('creates a new account, and records the login of a returning one', async () => {
    const store = users([{ login: 'returning' }]);
    const deps = { users: store, orgs: async () => [], settings: settings() };
    expect(await admitLogin(deps, remote('newcomer'), TOKEN)).toMatchObject({ created: true, user: { login: 'newcomer' } });
    expect(await admitLogin(deps, remote('returning'), TOKEN)).toMatchObject({ created: false, user: { login: 'returning' } });
    expect(store.logins).toEqual(['1']);
  });

  it('refuses machine and deactivated accounts', async () => {
    const deps = { users: users([{ login: 'robot', machine: true }, { login: 'gone', active: false }]), orgs: async () => [], settings: settings() };
    await expect(admitLogin(deps, remote('robot'), TOKEN)).rejects.toThrow(/machine accounts/);
    await expect(admitLogin(deps, remote('gone'), TOKEN)).rejects.toThrow(/inactive/);
  });

  it('refuses newcomers when registration is closed, but lets returning users in', async () => {
    const deps = { users: users([{ login: 'returning' }]), orgs: async () => [], settings: settings({ registrationClosed: true }) };
    await expect(admitLogin(deps, remote('newcomer'), TOKEN)).rejects.toBeInstanceOf(LoginRefused);
    expect((await admitLogin(deps, remote('returning'), TOKEN)).created).toBe(false);
  });

  it('admits through DRONE_USER_FILTER by login or by organisation, case-insensitively', async () => {
    const orgsOf: Record<string, string[]> = { member: ['Acme'], outsider: ['other'] };
    let asked = '';
    const deps = {
      users: users(),
      orgs: async (token: { access: string }) => orgsOf[(asked = token.access)] ?? [],
      settings: settings({ userFilter: ['acme', 'octocat'] }),
    };
    expect((await admitLogin(deps, remote('OctoCat'), { ...TOKEN, access: 'octocat' })).created).toBe(true);
    expect(asked).toBe('');
    expect((await admitLogin(deps, remote('member'), { ...TOKEN, access: 'member' })).created).toBe(true);
    await expect(admitLogin(deps, remote('outsider'), { ...TOKEN, access: 'outsider' })).rejects.toThrow(/DRONE_USER_FILTER/);
  });

  it('refuses accounts younger than DRONE_MIN_AGE', async () => {
    const deps = { users: users(), orgs: async () => [], settings: settings({ minAgeMs: 24 * 3_600_000 }) };
    await expect(admitLogin(deps, remote('fresh', Math.floor(Date.now() / 1000) - 60), TOKEN)).rejects.toThrow(/too new/);
    expect((await admitLogin(deps, remote('seasoned', Math.floor(Date.now() / 1000) - 3 * 86_400), TOKEN)).created).toBe(true);
  });
});
