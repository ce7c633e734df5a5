// A request about a repository reads who asks and the repository in one statement (store/user-with-repo.ts),
// and answers exactly as before: the caller's access decides, an unknown token is a guest, a missing
// repository is a 404 for a user and a 401 for a guest.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RepoWithKeys } from '../../../src/core/types.js';
import { seedRepo } from '../../support/seed.js';
import { ADMIN_TOKEN, type TestServer, startTestServer } from '../../support/server.js';

describe.each(['sqlite3', 'postgres'] as const)('the caller and the repository on %s', (driver) => {
  let server: TestServer;
  let repo: RepoWithKeys;
  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl') });
    repo = await seedRepo(server.ctx.store, 'caller/public');
  });
  afterAll(() => server.close());

  const status = async (path: string, token?: string) =>
    (await fetch(`${server.url}${path}`, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } })).status;

  it('finds both, either or neither', async () => {
    const users = server.ctx.store.users;
    const both = await users.findWithRepo({ token: ADMIN_TOKEN }, repo.slug);
    expect([both.user?.login, both.repo?.id, both.repo?.secret]).toEqual(['admin', repo.id, repo.secret]);
    const stranger = await users.findWithRepo({ token: 'not-a-token' }, repo.slug);
    expect([stranger.user, stranger.repo?.id]).toEqual([undefined, repo.id]);
    const nowhere = await users.findWithRepo({ token: ADMIN_TOKEN }, 'caller/missing');
    expect([nowhere.user?.login, nowhere.repo]).toEqual(['admin', undefined]);
    const byId = await users.findWithRepo({ id: both.user!.id }, repo.slug);
    expect([byId.user?.login, typeof byId.sessionsAfter, byId.repo?.id]).toEqual(['admin', 'number', repo.id]);
    expect((await users.findWithRepo({ token: '' }, repo.slug)).user).toBeUndefined();
  });

  it('answers the API as the caller’s access says', async () => {
    expect(await status(`/api/repos/${repo.slug}/builds`, ADMIN_TOKEN)).toBe(200);
    expect(await status(`/api/repos/${repo.slug}/builds`)).toBe(200);
    expect(await status(`/api/repos/${repo.slug}/builds`, 'not-a-token')).toBe(200);
    expect(await status(`/api/repos/${repo.slug}/secrets`, 'not-a-token')).toBe(401);
    expect(await status('/api/repos/caller/missing/builds', ADMIN_TOKEN)).toBe(404);
    expect(await status('/api/repos/caller/missing/builds')).toBe(401);
  });

  it('reads a browser session’s user with the repository, and still refuses ended sessions and cross-site changes', async () => {
    const admin = await server.ctx.store.users.findByLogin('admin');
    const hidden = await server.ctx.store.repos.enableLocal({
      namespace: 'caller',
      name: 'private',
      gitHttpUrl: 'file:///nonexistent/caller/private.git',
      defaultBranch: 'main',
      private: true,
      visibility: 'private',
      configPath: '.drone.yml',
      ownerId: admin!.id,
    });
    const cookie = `_session_=${server.app.signCookie(`${admin!.id}.${Math.floor(Date.now() / 1000) + 3600}.${Date.now()}`)}`;
    const withCookie = (path: string, method = 'GET') => fetch(`${server.url}${path}`, { method, headers: { cookie } });
    expect((await withCookie(`/api/repos/${hidden.slug}/builds`)).status).toBe(200);
    const crossSite = await withCookie(`/api/repos/${hidden.slug}/builds`, 'POST');
    expect([crossSite.status, ((await crossSite.json()) as { message: string }).message]).toEqual([403, expect.stringContaining('cross-site request refused')]);
    await server.ctx.store.users.endSessions(admin!.id, Date.now() + 1);
    expect((await withCookie(`/api/repos/${hidden.slug}/builds`)).status).toBe(401);
  });
});

describe('a request about a repository on PostgreSQL', () => {
  let server: TestServer;
  let counter: pg.Client;
  beforeAll(async () => {
    server = await startTestServer({ driver: 'postgres', postgresUrl: inject('postgresUrl') });
    await seedRepo(server.ctx.store, 'caller/counted');
    counter = new pg.Client({ connectionString: server.ctx.config.database.datasource });
    await counter.connect();
    await counter.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  });
  afterAll(async () => {
    await counter.end();
    await server.close();
  });

  it('reads the caller and the repository in one statement', async () => {
    await counter.query('SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)');
    const answer = await fetch(`${server.url}/api/repos/caller/counted/builds`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(answer.status).toBe(200);
    const { rows } = await counter.query<{ calls: string; query: string }>(
      `SELECT calls, query FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND (query LIKE '%user_hash%' OR query LIKE '%repo_slug%')`,
    );
    expect(rows.map((row) => Number(row.calls)), rows.map((row) => row.query).join('\n')).toEqual([1]);
  });
});
