// Org secrets and templates with an SCM that knows organisations (the GitHub stand-in, answering GitHub's
// membership API): a member of the organisation reads its secrets and templates, an admin of it also
// writes them, and a stranger is refused as Drone refuses.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Secret, Template } from '../../../src/core/types.js';
import { GitHubStandIn } from '../../support/scm/github.js';
import type { StandInUser } from '../../support/scm/standin.js';
import { type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { addUser, expectAnswers } from './org-support.js';

describe('organisation membership through GitHub', () => {
  let dir: string;
  let github: GitHubStandIn;
  let server: TestServer;
  let member: string;
  let orgAdmin: string;
  let stranger: string;

  /** A Hangar account with a known API token, logged in to GitHub as `remote`. */
  async function account(remote: StandInUser): Promise<string> {
    const token = await addUser(server, remote.login);
    const user = await server.ctx.store.users.findByLogin(remote.login);
    await server.ctx.store.users.recordLogin(user?.id ?? 0, { email: remote.email, avatar: '', token: { access: remote.token, refresh: '', expiry: 0 } });
    return token;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-orgs-'));
    github = new GitHubStandIn(join(dir, 'github'), { clientId: 'client-id', clientSecret: 'client-secret', callbackUrl: 'http://127.0.0.1:1/login' });
    await github.start();
    const octocat = github.addUser('octocat', { orgs: ['github'] });
    const outsider = github.addUser('outsider', { orgs: ['elsewhere'] });
    const hubot = github.addUser('hubot', { adminOrgs: ['github'] });
    server = await startTestServer({
      driver: 'sqlite3',
      env: { DRONE_GITHUB_CLIENT_ID: 'client-id', DRONE_GITHUB_CLIENT_SECRET: 'client-secret', DRONE_GITHUB_SERVER: github.server },
    });
    member = await account(octocat);
    stranger = await account(outsider);
    orgAdmin = await account(hubot);
    await call(server, 'POST', '/api/secrets/github', { name: 'npm', data: 'org-npm-token' });
    await call(server, 'POST', '/api/templates/github', { name: 'base.jsonnet', data: '{}' });
  });
  afterAll(async () => {
    await server?.close();
    await github?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('lets an organisation member read its secrets and templates', async () => {
    const secrets = await call<Secret[]>(server, 'GET', '/api/secrets/github', undefined, member);
    expect(secrets.status).toBe(200);
    expect(secrets.json.map((s) => s.name)).toEqual(['npm']);
    expect(secrets.text).not.toContain('org-npm-token');
    expect((await call<Secret>(server, 'GET', '/api/secrets/GitHub/npm', undefined, member)).status).toBe(200);
    expect((await call<Template[]>(server, 'GET', '/api/templates/github', undefined, member)).json.map((t) => t.name)).toEqual(['base.jsonnet']);
  });

  it('lets an organisation admin write its secrets and templates', async () => {
    const created = await call<Secret>(server, 'POST', '/api/secrets/github', { name: 'deploy', data: 'deploy-key' }, orgAdmin);
    expect(created.status).toBe(200);
    expect((await call(server, 'PATCH', '/api/secrets/github/deploy', { pull_request: true }, orgAdmin)).status).toBe(200);
    expect((await call(server, 'DELETE', '/api/secrets/github/deploy', undefined, orgAdmin)).status).toBe(204);
    expect((await call(server, 'POST', '/api/templates/github', { name: 'admin.jsonnet', data: '{}' }, orgAdmin)).status).toBe(200);
    expect((await call(server, 'DELETE', '/api/templates/github/admin.jsonnet', undefined, orgAdmin)).status).toBe(204);
  });

  it('keeps writes from members who do not administer the organisation', async () => {
    await expectAnswers(server, [
      ['POST', '/api/secrets/github', { name: 'mine', data: 'x' }],
      ['PATCH', '/api/secrets/github/npm', { data: 'changed' }],
      ['DELETE', '/api/secrets/github/npm'],
      ['POST', '/api/templates/github', { name: 'mine.jsonnet', data: '{}' }],
      ['DELETE', '/api/templates/github/base.jsonnet'],
    ], 403, { token: member, message: 'Forbidden' });
    expect((await call(server, 'POST', '/api/secrets/octocat', { name: 'mine', data: 'x' }, member)).status).toBe(200);
  });

  it('refuses a user of another organisation', async () => {
    await expectAnswers(server, [['GET', '/api/secrets/github'], ['GET', '/api/templates/github/base.jsonnet']], 403, { token: stranger, message: 'Forbidden' });
  });
});
