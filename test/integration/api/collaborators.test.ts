// Repository collaborators on SQLite and PostgreSQL: the users with permission rows, in drone-node's shape
// ({user_id, repo_id (the repository's uid), login, avatar, read, write, admin, synced, created, updated});
// reading needs read access, removing a member needs admin access.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Collaborator, RepoWithKeys, User } from '../../../src/core/types.js';
import { seedRepo } from '../../support/seed.js';
import { type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { addUser } from './org-support.js';

const COLLABORATOR_KEYS = ['admin', 'avatar', 'created', 'login', 'read', 'repo_id', 'synced', 'updated', 'user_id', 'write'];

describe.each(['sqlite3', 'postgres'] as const)('collaborators on %s', (driver) => {
  let server: TestServer;
  let repo: RepoWithKeys;
  let alice: { token: string; user: User };
  let bob: { token: string; user: User };

  async function account(login: string) {
    const token = await addUser(server, login);
    const user = await server.ctx.store.users.findByLogin(login);
    if (!user) throw new Error(`no ${login}`);
    return { token, user };
  }

  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl') });
    repo = await seedRepo(server.ctx.store, 'octocat/team');
    await server.ctx.store.repos.update(repo.id, { visibility: 'private' });
    alice = await account('alice');
    bob = await account('bob');
    await server.ctx.store.repos.setPermissions(alice.user.id, repo.uid, { read: true, write: true, admin: false });
    await server.ctx.store.repos.setPermissions(bob.user.id, repo.uid, { read: true, write: true, admin: true });
  });
  afterAll(async () => server?.close());

  it('lists the members by login for anyone who can read the repository', async () => {
    const list = await call<Collaborator[]>(server, 'GET', '/api/repos/octocat/team/collaborators', undefined, alice.token);
    expect(list.status).toBe(200);
    expect(list.json.map((member) => member.login)).toEqual(['admin', 'alice', 'bob']);
    for (const member of list.json) expect(Object.keys(member).sort()).toEqual(COLLABORATOR_KEYS);
    expect(list.json[1]).toMatchObject({ user_id: alice.user.id, repo_id: repo.uid, read: true, write: true, admin: false });
    expect(list.json[1].synced).toEqual(expect.any(Number));
  });

  it('finds one member, 404 for a user who is none or does not exist', async () => {
    const found = await call<Collaborator>(server, 'GET', '/api/repos/octocat/team/collaborators/bob', undefined, alice.token);
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({ login: 'bob', admin: true });
    const carol = await account('carol');
    expect((await call(server, 'GET', '/api/repos/octocat/team/collaborators/carol')).status).toBe(404);
    expect((await call(server, 'GET', '/api/repos/octocat/team/collaborators/nobody')).status).toBe(404);
    // Without permission the repository itself is not found; without a login, unauthorized.
    expect((await call(server, 'GET', '/api/repos/octocat/team/collaborators', undefined, carol.token)).status).toBe(404);
    expect((await call(server, 'GET', '/api/repos/octocat/team/collaborators', undefined, null)).status).toBe(401);
    expect((await call(server, 'GET', '/api/repos/octocat/nothing/collaborators')).status).toBe(404);
  });

  it('removes a member for a repository admin only', async () => {
    expect((await call(server, 'DELETE', '/api/repos/octocat/team/collaborators/bob', undefined, alice.token)).status).toBe(404);
    const removed = await call(server, 'DELETE', '/api/repos/octocat/team/collaborators/alice', undefined, bob.token);
    expect(removed.status).toBe(204);
    expect(await server.ctx.store.repos.permissions(alice.user.id, repo.uid)).toBeUndefined();
    expect((await call(server, 'DELETE', '/api/repos/octocat/team/collaborators/alice', undefined, bob.token)).status).toBe(404);
    expect((await call(server, 'DELETE', '/api/repos/octocat/team/collaborators/bob', undefined, null)).status).toBe(401);
  });
});
