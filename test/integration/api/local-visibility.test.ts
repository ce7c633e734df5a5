// Issue 14, safe defaults: a repository of the local git provider has no SCM to say who may see it, so it
// is private until its owner makes it public. A guest (no token) and a signed-in stranger read nothing of it
// — its builds, a step's stored log, the log's live stream — while its owner reads all; after the owner sets
// `visibility: public` (what `hangar repo update --visibility public` sends) the guest reads all.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build, Repo } from '../../../src/core/types.js';
import { ADMIN_TOKEN, type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { addUser, enableRepoWith, runBuild } from './org-support.js';

const SLUG = 'octocat/quiet';
const PIPELINE = `kind: pipeline
type: exec
name: default
clone:
  disable: true
steps:
- name: speak
  commands:
  - echo "a line only readers may see"
`;

describe('a repository of the local git provider', () => {
  let server: TestServer;
  let build: Build;
  let stranger: string;

  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3', env: { DRONE_RUNNER_CAPACITY: '1' } });
    await enableRepoWith(server, SLUG, { '.drone.yml': PIPELINE });
    build = await runBuild(server, SLUG);
    stranger = await addUser(server, 'stranger');
  }, 60_000);
  afterAll(async () => server?.close());

  /** The routes a reader of the build uses: the list, the build, the step's stored log and its live stream. */
  const routes = () => [
    `/api/repos/${SLUG}/builds`,
    `/api/repos/${SLUG}/builds/${build.number}`,
    `/api/repos/${SLUG}/builds/${build.number}/logs/1/1`,
    `/api/stream/${SLUG}/${build.number}/1/1`,
  ];

  /** Status and body of a GET; a stream of a finished step replays its lines and ends with eof. */
  async function read(path: string, token: string | null): Promise<{ status: number; text: string }> {
    const response = await fetch(`${server.url}${path}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, text: await response.text() };
  }

  it('is enabled private, and its builds, logs and log stream are refused to a guest and a stranger', async () => {
    expect(build.status).toBe('success');
    const repo = await call<Repo>(server, 'GET', `/api/repos/${SLUG}`);
    expect(repo.json).toMatchObject({ visibility: 'private' });
    for (const path of routes()) {
      const guest = await read(path, null);
      expect(guest.status, path).toBe(401);
      expect(JSON.parse(guest.text), path).toEqual({ message: 'Unauthorized' });
      expect(guest.text, path).not.toContain('only readers');
      const other = await read(path, stranger);
      expect(other.status, path).toBe(404);
      expect(other.text, path).not.toContain('only readers');
    }
    expect((await read(`/api/repos/${SLUG}`, null)).status).toBe(401);
  });

  it('shows its owner every build, log and stream', async () => {
    for (const path of routes()) {
      const owner = await read(path, ADMIN_TOKEN);
      expect(owner.status, path).toBe(200);
    }
    expect((await read(`/api/repos/${SLUG}/builds/${build.number}/logs/1/1`, ADMIN_TOKEN)).text).toContain('a line only readers may see');
    expect((await read(`/api/stream/${SLUG}/${build.number}/1/1`, ADMIN_TOKEN)).text).toContain('a line only readers may see');
  });

  it('is readable by anyone once its owner makes it public, and private again when made private', async () => {
    const patched = await call<Repo>(server, 'PATCH', `/api/repos/${SLUG}`, { visibility: 'public' });
    expect(patched.status).toBe(200);
    expect(patched.json.visibility).toBe('public');
    for (const path of routes()) {
      const guest = await read(path, null);
      expect(guest.status, path).toBe(200);
    }
    expect((await read(`/api/stream/${SLUG}/${build.number}/1/1`, null)).text).toContain('a line only readers may see');
    expect((await read(`/api/repos/${SLUG}/builds/${build.number}/logs/1/1`, stranger)).text).toContain('a line only readers may see');

    expect((await call(server, 'PATCH', `/api/repos/${SLUG}`, { visibility: 'private' })).status).toBe(200);
    expect((await read(`/api/repos/${SLUG}/builds/${build.number}/logs/1/1`, null)).status).toBe(401);
  });

  it('is public from the start only when the enable request asks for it', async () => {
    const quiet = await call<Repo>(server, 'POST', '/api/repos/octocat/flagged', { git_http_url: 'file:///nowhere/flagged.git', private: false });
    expect(quiet.json).toMatchObject({ visibility: 'private', private: false });
    const open = await call<Repo>(server, 'POST', '/api/repos/octocat/open', { git_http_url: 'file:///nowhere/open.git', visibility: 'public' });
    expect(open.json).toMatchObject({ visibility: 'public' });
    expect((await read('/api/repos/octocat/open/builds', null)).status).toBe(200);
    expect((await read('/api/repos/octocat/flagged/builds', null)).status).toBe(401);
    // Enabled again with an empty body (drone-node), it keeps what its owner chose.
    expect((await call<Repo>(server, 'POST', '/api/repos/octocat/open')).json).toMatchObject({ visibility: 'public' });
  });
});
