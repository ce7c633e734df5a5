// The live log stream of a step (SSE): lines in order with `id: <pos>`, a resume after Last-Event-ID, a
// line the live stream never got filled in from the database, and a finished step's whole log.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Line, Stage, Step } from '../../../src/core/types.js';
import { GoRunner } from '../../support/go-client.js';
import { EXEC_FILTER, seedBuild, seedRepo, stagePlan } from '../../support/seed.js';
import { ADMIN_TOKEN, RPC_SECRET, type TestServer, startTestServer } from '../../support/server.js';
import { until } from '../../support/wait.js';

const now = () => Math.floor(Date.now() / 1000);

interface SseLine extends Line {
  id: string;
}

/** Follows an SSE log stream, collecting lines until eof or `stop()`. */
function follow(url: string, lastEventId?: number) {
  const controller = new AbortController();
  const lines: SseLine[] = [];
  let ended = false;
  const done = (async () => {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(lastEventId === undefined ? {} : { 'Last-Event-ID': String(lastEventId) }) }, signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (event.includes('data: eof')) {
          ended = true;
          return;
        }
        const id = /^id: (.*)$/m.exec(event)?.[1];
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (data) lines.push({ ...(JSON.parse(data) as Line), id: id ?? '' });
      }
    }
  })().catch(() => undefined);
  return { lines, ended: () => ended, stop: () => controller.abort(), done };
}

describe('live log stream', () => {
  let server: TestServer;
  let runner: GoRunner;
  let number: number;
  let step: Step;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3' });
    runner = new GoRunner(server.url, RPC_SECRET);
    const repo = await seedRepo(server.ctx.store, 'octocat/stream');
    number = (await seedBuild(server.ctx.store, repo, [stagePlan({ labels: { test: 'stream' } })])).build.number;
    const offered = (await runner.call('POST', '/stage', { ...EXEC_FILTER, labels: { test: 'stream' } })).json<Stage>();
    const accepted = (await runner.call('POST', `/stage/${offered.id}?machine=m`)).json<Stage>();
    const started = (
      await runner.call('PUT', `/stage/${offered.id}`, { ...accepted, status: 'running', started: now(), steps: [{ id: 0, step_id: offered.id, number: 1, name: 's', status: 'pending', exit_code: 0, version: 0 }] })
    ).json<Stage>();
    step = started.steps?.[0] as Step;
    step = (await runner.call('PUT', `/step/${step.id}`, { ...step, status: 'running', started: now() })).json<Step>();
    url = `${server.url}/api/stream/octocat/stream/${number}/1/1`;
  });
  afterAll(async () => server?.close());

  const line = (pos: number): Line => ({ pos, out: `line ${pos}\n`, time: 0 });
  const batch = (...positions: number[]) => runner.call('POST', `/step/${step.id}/logs/batch`, positions.map(line));

  it('streams lines in order with their position as the event id, and fills a line the live stream missed', async () => {
    const viewer = follow(url);
    await batch(0, 1);
    await until(async () => viewer.lines.length === 2, 5_000, 10);
    // Line 2 reached only the database (its server could not reach the live stream).
    server.ctx.chunks.add(step.id, [line(2)]);
    await server.ctx.chunks.flush();
    await batch(3);
    await until(async () => viewer.lines.length === 4, 5_000, 10);
    expect(viewer.lines.map((l) => [l.id, l.out])).toEqual([0, 1, 2, 3].map((pos) => [String(pos), `line ${pos}\n`]));
    viewer.stop();
  });

  it('resumes after the last event id without repeating a line', async () => {
    const resumed = follow(url, 1);
    await batch(4);
    await until(async () => resumed.lines.length === 3, 5_000, 10);
    expect(resumed.lines.map((l) => l.pos)).toEqual([2, 3, 4]);
    resumed.stop();
  });

  it("ends with the step, and gives a finished step's whole log then eof", async () => {
    const viewer = follow(url, 4);
    await runner.call('POST', `/step/${step.id}/logs/upload`, [0, 1, 2, 3, 4, 5].map(line));
    await runner.call('PUT', `/step/${step.id}`, { ...step, status: 'success', stopped: now() });
    await viewer.done;
    expect(viewer.ended()).toBe(true);
    expect(viewer.lines.map((l) => l.pos)).toEqual([5]);
    const late = follow(url);
    await late.done;
    expect(late.lines.map((l) => l.pos)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(late.ended()).toBe(true);
  });
});
