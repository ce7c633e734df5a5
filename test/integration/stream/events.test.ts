// Build events for live views (`/api/stream`, `/api/stream/{owner}/{name}`): the repository with its
// changed build, shown to viewers allowed to see it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build, Repo } from '../../../src/core/types.js';
import { seedBuild, seedRepo } from '../../support/seed.js';
import { ADMIN_TOKEN, type TestServer, startTestServer } from '../../support/server.js';
import { until } from '../../support/wait.js';

type RepoWithBuild = Repo & { build: Build };

function watch(url: string, token?: string) {
  const controller = new AbortController();
  const events: RepoWithBuild[] = [];
  void (async () => {
    const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (data) events.push(JSON.parse(data) as RepoWithBuild);
      }
    }
  })().catch(() => undefined);
  return { events, stop: () => controller.abort() };
}

describe('build event streams', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3' });
  });
  afterAll(async () => server?.close());

  it('shows a cancelled build with its stages to the viewers of all builds and of its repository', async () => {
    const repo = await seedRepo(server.ctx.store, 'octocat/events');
    const all = watch(`${server.url}/api/stream`, ADMIN_TOKEN);
    const mine = watch(`${server.url}/api/stream/octocat/events`, ADMIN_TOKEN);
    const other = watch(`${server.url}/api/stream/octocat/elsewhere`, ADMIN_TOKEN);
    await seedRepo(server.ctx.store, 'octocat/elsewhere');
    // Viewers are attached once the server has answered their request.
    await until(async () => server.ctx.buildEvents.size() === 3, 5_000, 10);
    const { build } = await seedBuild(server.ctx.store, repo);
    const cancelled = await fetch(`${server.url}/api/repos/octocat/events/builds/${build.number}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(cancelled.status).toBe(200);
    await until(async () => all.events.length > 0 && mine.events.length > 0, 5_000, 10);
    for (const stream of [all, mine]) {
      expect(stream.events.at(-1)).toMatchObject({ slug: 'octocat/events', build: { number: build.number, status: 'killed', stages: [{ status: 'skipped' }] } });
      expect(stream.events.at(-1)).not.toHaveProperty('secret');
    }
    expect(other.events).toHaveLength(0);
    for (const stream of [all, mine, other]) stream.stop();
  });

  it('shows guests only public repositories', async () => {
    const hidden = await server.ctx.store.repos.enableLocal({
      namespace: 'octocat',
      name: 'hidden',
      gitHttpUrl: 'file:///nowhere',
      defaultBranch: 'main',
      private: true,
      visibility: 'private',
      configPath: '.drone.yml',
      ownerId: (await server.ctx.store.users.findByLogin('admin'))?.id ?? 0,
    });
    const guest = watch(`${server.url}/api/stream`);
    await until(async () => server.ctx.buildEvents.size() === 1, 5_000, 10);
    const { build } = await seedBuild(server.ctx.store, hidden);
    await fetch(`${server.url}/api/repos/octocat/hidden/builds/${build.number}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const publicRepo = await seedRepo(server.ctx.store, 'octocat/open');
    const open = await seedBuild(server.ctx.store, publicRepo);
    await fetch(`${server.url}/api/repos/octocat/open/builds/${open.build.number}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    await until(async () => guest.events.length > 0, 5_000, 10);
    expect(guest.events.map((event) => event.slug)).toEqual(['octocat/open']);
    guest.stop();
  });
});
