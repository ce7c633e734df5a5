// Permissions on a repository: the stored answer while fresh, the SCM's answer once it is not (a refusal
// stored too), and when the SCM cannot answer, the stored one — in full for an hour, then for reading only.

import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { PermissionCache } from '../../../src/accounts/permissions.js';
import { NotFoundError, UpstreamError } from '../../../src/core/errors.js';
import type { RemoteRepo } from '../../../src/core/scm.js';
import type { CachedPermissions } from '../../../src/core/store.js';
import type { Permissions, Repo } from '../../../src/core/types.js';

const REPO = { uid: '42', slug: 'octocat/hello' } as Repo;
const ADMIN = { read: true, write: true, admin: true };
const seconds = (msAgo: number) => Math.floor((Date.now() - msAgo) / 1000);

function cache(stored: CachedPermissions | undefined, scm: () => Promise<Permissions>) {
  const rows = new Map<string, CachedPermissions | undefined>([['1:42', stored]]);
  let calls = 0;
  const permissions = new PermissionCache({
    repos: {
      permissions: async (userId, uid) => rows.get(`${userId}:${uid}`),
      setPermissions: async (userId, uid, perms) => void rows.set(`${userId}:${uid}`, perms && { ...perms, synced: seconds(0) }),
    },
    scm: { repos: { find: async () => (calls++, { uid: '42', permissions: await scm() }) as RemoteRepo, list: async () => [], createHook: async () => {}, deleteHook: async () => {} } },
    credentials: { forUser: async () => undefined },
    ttlMs: 10 * 60_000,
    log: pino({ level: 'silent' }),
  });
  return { permissions, rows, calls: () => calls };
}

describe('permission cache', () => {
  it('answers a fresh row without asking the SCM, and asks again once it is old', async () => {
    const fresh = cache({ ...ADMIN, synced: seconds(60_000) }, async () => ({ read: true, write: false, admin: false }));
    expect(await fresh.permissions.get(1, REPO)).toEqual(ADMIN);
    expect(fresh.calls()).toBe(0);
    const old = cache({ ...ADMIN, synced: seconds(20 * 60_000) }, async () => ({ read: true, write: false, admin: false }));
    expect(await old.permissions.get(1, REPO)).toEqual({ read: true, write: false, admin: false });
    expect(old.calls()).toBe(1);
  });

  it('stores a refusal, so the next request asks the SCM no more', async () => {
    const refused = cache(undefined, async () => Promise.reject(new NotFoundError()));
    expect(await refused.permissions.get(1, REPO)).toBeUndefined();
    expect(await refused.permissions.get(1, REPO)).toBeUndefined();
    expect(refused.calls()).toBe(1);
  });

  it('keeps a stored row while the SCM is down: in full within the hour, for reading only after it', async () => {
    const down = async (): Promise<Permissions> => Promise.reject(new UpstreamError('GitHub: 503'));
    expect(await cache({ ...ADMIN, synced: seconds(30 * 60_000) }, down).permissions.get(1, REPO)).toEqual(ADMIN);
    expect(await cache({ ...ADMIN, synced: seconds(3 * 3_600_000) }, down).permissions.get(1, REPO)).toEqual({ read: true, write: false, admin: false });
    await expect(cache(undefined, down).permissions.get(1, REPO)).rejects.toBeInstanceOf(UpstreamError);
  });
});
