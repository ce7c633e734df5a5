// Organisation membership for org secrets and templates: system admins and the namespace's own user
// always; members and org admins as a provider reports roles, or members (read only) through the list of
// the user's organisations; answers kept for a while, failures not kept.

import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { OrgMembership } from '../../../src/accounts/org-membership.js';
import type { Token } from '../../../src/core/scm.js';
import type { User } from '../../../src/core/types.js';

const TOKEN: Token = { access: 'a', refresh: '', expiry: 0 };

function user(login: string, admin = false): User {
  return { id: login.length, login, email: '', machine: false, admin, active: true, avatar: '', syncing: false, synced: 0, created: 0, updated: 0, last_login: 0 };
}

function membership(orgs: () => Promise<string[]>, ttlMs = 60_000) {
  let calls = 0;
  const service = new OrgMembership({
    login: {
      orgs: () => {
        calls++;
        return orgs();
      },
    },
    credentials: { forUser: async () => TOKEN },
    ttlMs,
    log: pino({ level: 'silent' }),
  });
  return { service, calls: () => calls };
}

describe('organisation membership', () => {
  it('admits system admins and the user named like the namespace, for reads and writes', async () => {
    const { service, calls } = membership(async () => []);
    expect(await service.has(user('root', true), 'acme', 'admin')).toBe(true);
    expect(await service.has(user('Alice'), 'alice', 'admin')).toBe(true);
    expect(calls()).toBe(0);
  });

  it('admits members of the SCM organisation to reads only, and asks the SCM once per organisation and period', async () => {
    const { service, calls } = membership(async () => ['ACME', 'other']);
    const alice = user('alice');
    expect(await service.has(alice, 'acme', 'member')).toBe(true);
    expect(await service.has(alice, 'acme', 'admin')).toBe(false);
    expect(await service.has(alice, 'Acme', 'member')).toBe(true);
    expect(await service.has(alice, 'third', 'member')).toBe(false);
    expect(calls()).toBe(2);
  });

  it('takes member and admin from a provider that reports roles', async () => {
    const asked: string[] = [];
    const service = new OrgMembership({
      login: {
        orgs: async () => [],
        membership: async (_token, org, login) => {
          asked.push(`${org}:${login}`);
          return { member: org !== 'elsewhere', admin: org === 'owned' };
        },
      },
      credentials: { forUser: async () => TOKEN },
      ttlMs: 60_000,
      log: pino({ level: 'silent' }),
    });
    const alice = user('alice');
    expect(await service.has(alice, 'owned', 'admin')).toBe(true);
    expect(await service.has(alice, 'joined', 'member')).toBe(true);
    expect(await service.has(alice, 'joined', 'admin')).toBe(false);
    expect(await service.has(alice, 'elsewhere', 'member')).toBe(false);
    expect(await service.has(alice, 'owned', 'member')).toBe(true);
    expect(asked).toEqual(['owned:alice', 'joined:alice', 'elsewhere:alice']);
  });

  it('counts a user as a non-member while the SCM fails, and asks again next time', async () => {
    let failing = true;
    const { service, calls } = membership(async () => {
      if (failing) throw new Error('scm down');
      return ['acme'];
    });
    const alice = user('alice');
    expect(await service.has(alice, 'acme', 'member')).toBe(false);
    failing = false;
    expect(await service.has(alice, 'acme', 'member')).toBe(true);
    expect(calls()).toBe(2);
  });

  it('knows no organisations without an SCM login service (local git provider)', async () => {
    const service = new OrgMembership({ login: undefined, credentials: { forUser: async () => undefined }, ttlMs: 1000, log: pino({ level: 'silent' }) });
    expect(await service.has(user('alice'), 'acme', 'member')).toBe(false);
  });
});
