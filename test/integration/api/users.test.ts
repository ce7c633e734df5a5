// Accounts through the API on SQLite and PostgreSQL: /api/users (system admin: list, find, create as
// drone-go and drone-node send it, update, delete, token rotation, a user's repositories) and /api/user
// (email change, the API token). Deactivating or deleting an account hands its repositories to another
// admin collaborator, as Drone's transfer service does. Tokens appear only where Drone shows them.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Repo, User } from '../../../src/core/types.js';
import { seedRepo } from '../../support/seed.js';
import { ADMIN_TOKEN, type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { addUser } from './org-support.js';

const CONFORMANCE = '/work/shared/conformance/drone-go/api';
const USER_KEYS = Object.keys(JSON.parse(readFileSync(`${CONFORMANCE}/user.json`, 'utf8')) as object).sort();
const USERS_KEYS = Object.keys((JSON.parse(readFileSync(`${CONFORMANCE}/users.json`, 'utf8')) as object[])[0]).sort();

type UserWithToken = User & { token?: string };

/** What drone-go's UserCreate sends: its whole User struct, zero values included. */
function droneGoUser(login: string, fields: Partial<{ admin: boolean; machine: boolean; token: string }> = {}) {
  return { id: 0, login, email: '', avatar_url: '', active: false, admin: false, machine: false, syncing: false, synced: 0, created: 0, updated: 0, last_login: 0, token: '', ...fields };
}

describe.each(['sqlite3', 'postgres'] as const)('users API on %s', (driver) => {
  let server: TestServer;
  let aliceToken: string;

  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl') });
    aliceToken = await addUser(server, 'alice');
  });
  afterAll(async () => server?.close());

  const get = <T>(path: string, token: string | null = ADMIN_TOKEN) => call<T>(server, 'GET', path, undefined, token);

  it('lists and finds accounts for admins only, with Drone’s keys and never a token', async () => {
    const list = await get<User[]>('/api/users');
    expect(list.status).toBe(200);
    expect(list.json.map((user) => user.login)).toEqual(['admin', 'alice']);
    for (const user of list.json) expect(Object.keys(user).sort()).toEqual(USERS_KEYS);
    expect(list.text).not.toContain(ADMIN_TOKEN);

    const alice = await get<User>('/api/users/alice');
    expect(alice.status).toBe(200);
    expect(Object.keys(alice.json).sort()).toEqual(USER_KEYS);
    expect(alice.json).toMatchObject({ login: 'alice', admin: false, active: true, machine: false });
    expect((await get<User>(`/api/users/${alice.json.id}`)).json.login).toBe('alice');

    expect((await get('/api/users/nobody')).status).toBe(404);
    expect((await get('/api/users', aliceToken)).status).toBe(403);
    expect((await get('/api/users/alice', aliceToken)).status).toBe(403);
    const guest = await get('/api/users', null);
    expect(guest.status).toBe(401);
    expect(guest.json).toEqual({ message: 'Unauthorized' });
  });

  it('creates a machine account as drone-go sends it, active, with its token shown once', async () => {
    const created = await call<UserWithToken>(server, 'POST', '/api/users', droneGoUser('deployer', { machine: true }));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ login: 'deployer', machine: true, admin: false, active: true });
    expect(created.json.token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(Object.keys(created.json).sort()).toEqual([...USER_KEYS, 'token'].sort());
    const self = await get<User>('/api/user', created.json.token ?? '');
    expect(self.json.login).toBe('deployer');
    expect((await get('/api/users/deployer')).json).not.toHaveProperty('token');
  });

  it('creates a human account with a chosen token, showing no token, and refuses duplicates and bad logins', async () => {
    const created = await call<UserWithToken>(server, 'POST', '/api/users', { login: 'bob', email: 'bob@example.com', admin: true, token: 'bob-token-0123456789abcdef' });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ login: 'bob', email: 'bob@example.com', admin: true, active: true, machine: false });
    expect(created.json).not.toHaveProperty('token');
    expect((await get<User>('/api/user', 'bob-token-0123456789abcdef')).json.login).toBe('bob');

    const again = await call(server, 'POST', '/api/users', { login: 'bob' });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ message: expect.stringMatching(/login already exists/) });
    const sameToken = await call(server, 'POST', '/api/users', { login: 'bobby', token: 'bob-token-0123456789abcdef' });
    expect(sameToken.status).toBe(409);
    for (const login of ['', 'has space', 'x'.repeat(51), '../etc', "o'hara"]) {
      const bad = await call<{ message: string }>(server, 'POST', '/api/users', { login });
      expect(bad.status, login).toBe(400);
      expect(bad.json.message, login).toMatch(/username/);
    }
    expect((await call(server, 'POST', '/api/users', { login: 'x'.repeat(50) })).status).toBe(200);
    expect((await call(server, 'POST', '/api/users', { login: 'wrong', admin: 'yes' })).status).toBe(400);
    expect((await call(server, 'POST', '/api/users', undefined)).status).toBe(400);
    expect((await call(server, 'POST', '/api/users', { login: 'mallory' }, aliceToken)).status).toBe(403);
    expect((await get('/api/users/mallory')).status).toBe(404);
  });

  it('updates admin and active; deactivation clears admin, locks the account out and hands its repositories on', async () => {
    const carolToken = await addUser(server, 'carol');
    const dave = await call<User>(server, 'POST', '/api/users', { login: 'dave' });
    const carol = (await get<User>('/api/users/carol')).json;
    const shared = await ownedRepo('carol/shared', carol.id);
    const solo = await ownedRepo('carol/solo', carol.id);
    await server.ctx.store.repos.setPermissions(dave.json.id, shared.uid, { read: true, write: true, admin: true });

    const promoted = await call<User>(server, 'PATCH', '/api/users/carol', { admin: true });
    expect(promoted.status).toBe(200);
    expect(promoted.json).toMatchObject({ login: 'carol', admin: true, active: true });

    // drone-go's UserPatch for `drone user update --active=false`.
    const blocked = await call<User>(server, 'PATCH', '/api/users/carol', { active: false });
    expect(blocked.json).toMatchObject({ admin: false, active: false });
    expect((await get('/api/user', carolToken)).status).toBe(401);
    expect((await server.ctx.store.repos.find(shared.id))?.user_id).toBe(dave.json.id);
    expect((await server.ctx.store.repos.find(solo.id))?.user_id).toBe(0);
    expect((await server.ctx.store.repos.find(shared.id))?.version).toBe(shared.version + 1);

    expect((await call(server, 'PATCH', '/api/users/carol', { active: 'no' })).status).toBe(400);
    expect((await call(server, 'PATCH', '/api/users/nobody', { admin: true })).status).toBe(404);
    expect((await call(server, 'PATCH', '/api/users/carol', { admin: true }, aliceToken)).status).toBe(403);
  });

  it('sets machine and a new token from drone-go’s UserPatch, refusing a token another account holds', async () => {
    await call(server, 'POST', '/api/users', { login: 'erin' });
    const patched = await call<User>(server, 'PATCH', '/api/users/erin', { machine: true, token: 'erin-token-0123456789abcdef' });
    expect(patched.json).toMatchObject({ machine: true });
    expect((await get<User>('/api/user', 'erin-token-0123456789abcdef')).json.login).toBe('erin');
    expect((await call(server, 'PATCH', '/api/users/erin', { token: ADMIN_TOKEN })).status).toBe(409);
    expect((await get<User>('/api/user')).json.login).toBe('admin');
  });

  it('deletes an account with 204, handing its repositories to another admin collaborator', async () => {
    const frankToken = await addUser(server, 'frank');
    const frank = (await get<User>('/api/users/frank')).json;
    const repo = await ownedRepo('frank/tools', frank.id);
    const admin = (await get<User>('/api/user')).json;
    await server.ctx.store.repos.setPermissions(admin.id, repo.uid, { read: true, write: true, admin: true });

    const removed = await call(server, 'DELETE', '/api/users/frank');
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect((await get('/api/users/frank')).status).toBe(404);
    expect((await get('/api/user', frankToken)).status).toBe(401);
    expect((await server.ctx.store.repos.find(repo.id))?.user_id).toBe(admin.id);
    expect(await server.ctx.store.repos.permissions(frank.id, repo.uid)).toBeUndefined();
    expect((await call(server, 'DELETE', '/api/users/frank')).status).toBe(404);
    expect((await call(server, 'DELETE', '/api/users/alice', undefined, aliceToken)).status).toBe(403);
  });

  it('lists a user’s repositories for admins', async () => {
    const grace = await call<User>(server, 'POST', '/api/users', { login: 'grace' });
    await ownedRepo('grace/app', grace.json.id);
    const repos = await get<Repo[]>('/api/users/grace/repos');
    expect(repos.status).toBe(200);
    expect(repos.json.map((repo) => repo.slug)).toEqual(['grace/app']);
    expect(repos.text).not.toMatch(/"(signer|secret)"/);
    expect((await get('/api/users/grace/repos', aliceToken)).status).toBe(403);
    expect((await get('/api/users/nobody/repos')).status).toBe(404);
  });

  it('rotates a user’s token for an admin: the old one stops working', async () => {
    const henryToken = await addUser(server, 'henry');
    const rotated = await call<UserWithToken>(server, 'POST', '/api/users/henry/token/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.json).toMatchObject({ login: 'henry' });
    expect(rotated.json.token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(rotated.json.token).not.toBe(henryToken);
    expect((await get('/api/user', henryToken)).status).toBe(401);
    expect((await get<User>('/api/user', rotated.json.token ?? '')).json.login).toBe('henry');
    expect((await call(server, 'POST', '/api/users/nobody/token/rotate')).status).toBe(404);
    expect((await call(server, 'POST', '/api/users/henry/token/rotate', undefined, aliceToken)).status).toBe(403);
  });

  it('lets the current user change only their email, as drone-node’s updateSelf sends it', async () => {
    const irisToken = await addUser(server, 'iris');
    const self = (await get<User>('/api/user', irisToken)).json;
    const updated = await call<User>(server, 'PATCH', '/api/user', { ...self, email: 'iris@example.com', admin: true, login: 'root' }, irisToken);
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ login: 'iris', email: 'iris@example.com', admin: false });
    expect(Object.keys(updated.json).sort()).toEqual(USER_KEYS);
    expect((await call(server, 'PATCH', '/api/user', { email: 'x'.repeat(501) }, irisToken)).status).toBe(400);
    expect((await call(server, 'PATCH', '/api/user', { email: 'a@b.c' }, null)).status).toBe(401);
  });

  it('shows the current user’s token on POST /api/user/token, rotating it with rotate=true', async () => {
    const judyToken = await addUser(server, 'judy');
    // drone-node's getToken: an empty form body.
    const shown = await fetch(`${server.url}/api/user/token`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${judyToken}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(shown.status, await shown.clone().text()).toBe(200);
    const json = (await shown.json()) as UserWithToken;
    expect(json).toMatchObject({ login: 'judy', token: judyToken });
    expect(Object.keys(json).sort()).toEqual([...USER_KEYS, 'token'].sort());

    const rotated = await call<UserWithToken>(server, 'POST', '/api/user/token?rotate=true', undefined, judyToken);
    expect(rotated.json.token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(rotated.json.token).not.toBe(judyToken);
    expect((await get('/api/user', judyToken)).status).toBe(401);
    expect((await get<User>('/api/user', rotated.json.token ?? '')).json.login).toBe('judy');
    expect((await call(server, 'POST', '/api/user/token', undefined, null)).status).toBe(401);
    expect((await call(server, 'POST', '/api/user/token?rotate=maybe', undefined, rotated.json.token ?? '')).status).toBe(400);
  });

  /** A repository owned by `ownerId` (with admin permission, as enabling gives), and nobody else's. */
  async function ownedRepo(slug: string, ownerId: number) {
    const repo = await seedRepo(server.ctx.store, slug);
    const admin = await server.ctx.store.users.findByLogin('admin');
    await server.ctx.store.repos.setPermissions(admin?.id ?? 0, repo.uid, undefined);
    const owned = await server.ctx.store.repos.update(repo.id, { user_id: ownerId });
    if (!owned) throw new Error(`repo ${slug} vanished`);
    await server.ctx.store.repos.setPermissions(ownerId, owned.uid, { read: true, write: true, admin: true });
    return owned;
  }
});
