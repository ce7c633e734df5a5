// POST /hook with the payloads the local git provider's post-receive hook sends (GitHub's push format):
// signatures, events, and one build per delivery however often it arrives.

import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build } from '../../../src/core/types.js';
import { githubWebhooks } from '../../../src/scm/github/webhooks.js';
import { type TestRepo, createTestRepo } from '../../support/git-repo.js';
import { ADMIN_TOKEN, type TestServer, startTestServer } from '../../support/server.js';

const PIPELINE = `kind: pipeline
type: exec
name: default
trigger:
  event: [push, tag]
steps:
- name: a
  commands: [echo hi]
`;

describe('webhooks', () => {
  let server: TestServer;
  let dir: string;
  let repo: TestRepo;
  let secret: string;
  let head: string;

  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3', env: { DRONE_SERVER_PROXY_HOST: 'ci.example.com', DRONE_SERVER_PROXY_PROTO: 'https' } });
    dir = await mkdtemp(join(tmpdir(), 'hangar-hook-'));
    repo = await createTestRepo(dir);
    head = (await repo.push({ '.drone.yml': PIPELINE }, 'first')).sha;
    await fetch(`${server.url}/api/repos/octocat/hooked`, {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ git_http_url: repo.url }),
    });
    const hook = (await (await fetch(`${server.url}/api/repos/octocat/hooked/hook`, { headers: admin })).json()) as { url: string; secret: string };
    expect(hook.url).toBe('https://ci.example.com/hook');
    secret = hook.secret;
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function payload(overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: head,
      repository: { full_name: 'octocat/hooked' },
      head_commit: { id: head, message: 'first', author: { name: 'Test Author', email: 'author@example.com', username: 'author' } },
      sender: { login: 'author' },
      ...overrides,
    });
  }

  async function deliver(body: string, options: { delivery?: string; event?: string; signWith?: string } = {}) {
    const signature = `sha256=${createHmac('sha256', options.signWith ?? secret).update(body).digest('hex')}`;
    const response = await fetch(`${server.url}/hook`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-GitHub-Event': options.event ?? 'push',
        'X-GitHub-Delivery': options.delivery ?? crypto.randomUUID(),
        'X-Hub-Signature-256': signature,
      },
      body,
    });
    const text = await response.text();
    return { status: response.status, build: text ? (JSON.parse(text) as Build | null) : null, text };
  }

  it('builds a signed branch push as a push event', async () => {
    const { status, build } = await deliver(payload());
    expect(status).toBe(200);
    expect(build).toMatchObject({ event: 'push', trigger: '@hook', ref: 'refs/heads/main', target: 'main', after: head, author_login: 'author', status: 'pending' });
  });

  it('builds a tag push as a tag event', async () => {
    const { build } = await deliver(payload({ ref: 'refs/tags/v1.0.0', base_ref: 'refs/heads/main' }));
    expect(build).toMatchObject({ event: 'tag', action: 'create', ref: 'refs/tags/v1.0.0', target: 'main' });
  });

  it('builds one delivery once, however often it arrives', async () => {
    const body = payload();
    const first = await deliver(body, { delivery: 'delivery-42' });
    const again = await Promise.all([deliver(body, { delivery: 'delivery-42' }), deliver(body, { delivery: 'delivery-42' })]);
    expect(again.map((r) => r.build?.number)).toEqual([first.build?.number, first.build?.number]);
    const builds = (await (await fetch(`${server.url}/api/repos/octocat/hooked/builds`, { headers: admin })).json()) as Build[];
    expect(builds.filter((b) => b.number === first.build?.number)).toHaveLength(1);
  });

  it('refuses a payload signed with another secret, or unsigned, and builds nothing', async () => {
    const before = ((await (await fetch(`${server.url}/api/repos/octocat/hooked/builds`, { headers: admin })).json()) as Build[]).length;
    expect((await deliver(payload(), { signWith: 'not-the-secret' })).status).toBe(400);
    const unsigned = await fetch(`${server.url}/hook`, { method: 'POST', headers: { 'X-GitHub-Event': 'push' }, body: payload() });
    expect(unsigned.status).toBe(400);
    expect(((await unsigned.json()) as { message: string }).message).toMatch(/signature/i);
    const after = ((await (await fetch(`${server.url}/api/repos/octocat/hooked/builds`, { headers: admin })).json()) as Build[]).length;
    expect(after).toBe(before);
  });

  it('ignores deleted branches and other events, and answers unknown repositories with 404', async () => {
    expect(await deliver(payload({ deleted: true, after: '0'.repeat(40) }))).toMatchObject({ status: 200, build: null });
    expect(await deliver(payload(), { event: 'issues' })).toMatchObject({ status: 200, build: null });
    expect((await deliver(payload({ repository: { full_name: 'nobody/nothing' } }))).status).toBe(404);
    expect((await deliver('{not json')).status).toBe(400);
  });

  it("reads GitHub's own push payload as Drone does", async () => {
    const body = await readFile(new URL('../../../../shared/conformance/scm/github/webhooks/push.json', import.meta.url), 'utf8');
    const parsed = githubWebhooks.parse({ headers: { 'x-github-event': 'push', 'x-github-delivery': 'd-1' }, body });
    expect(parsed).toMatchObject({
      kind: 'build',
      delivery: 'd-1',
      repo: { uid: '135493233', namespace: 'Codertocat', name: 'Hello-World', slug: 'Codertocat/Hello-World' },
      build: {
        event: 'push',
        ref: 'refs/heads/master',
        target: 'master',
        before: 'a10867b14bb761a232cd80139fbd4c0d33264240',
        after: '199eddf46df50de8d02e99bf1c5fdb4101338224',
        message: 'Update README',
        author: { login: 'Codertocat', email: '21031067+Codertocat@users.noreply.github.com' },
        sender: 'Codertocat',
      },
    });
  });
});
