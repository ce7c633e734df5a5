// The runner's RPC client against a small server that answers as a Drone server may: it must send what
// runner-go sends and follow runner-go's retry rules (retry 204/502/503/network, never 409/4xx/500).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OptimisticLockError, RpcClient, RpcError, RUNNER_GO_RETRY } from '../../../src/runner/client.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server answering each request with the next of `answers` (the last one repeats). */
async function fakeServer(answers: Array<{ status: number; body?: unknown }>, retry = { retryMinMs: 5, retryMaxMs: 20, pollSleepMs: 0 }): Promise<{ client: RpcClient; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body, at: Date.now() });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)];
      response.statusCode = answer.status;
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const client = new RpcClient({ address: `http://127.0.0.1:${port}`, secret: 'sekret', retry });
  return { client, seen };
}

const stage = { id: 7, build_id: 3, number: 1, name: 'default', status: 'pending' };

describe('runner RPC client', () => {
  it('sends the token, JSON with a trailing newline and no Content-Type, as runner-go does', async () => {
    const { client, seen } = await fakeServer([{ status: 200, body: stage }]);
    await client.request({ kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '' }, new AbortController().signal);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/rpc/v2/stage' });
    expect(seen[0].headers['x-drone-token']).toBe('sekret');
    expect(seen[0].headers['content-type']).toBeUndefined();
    expect(seen[0].body.endsWith('}\n')).toBe(true);
  });

  it('polls again after 204 and after a 503, until a stage comes', async () => {
    const { client, seen } = await fakeServer([{ status: 204 }, { status: 503 }, { status: 204 }, { status: 200, body: stage }]);
    const got = await client.request({ kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '' }, new AbortController().signal);
    expect(got?.id).toBe(7);
    expect(seen).toHaveLength(4);
  });

  it('reports a lost accept (409) as an optimistic lock error, without retrying', async () => {
    const { client, seen } = await fakeServer([{ status: 409 }, { status: 200, body: stage }]);
    await expect(client.accept(7, 'runner one')).rejects.toBeInstanceOf(OptimisticLockError);
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/rpc/v2/stage/7?machine=runner%20one');
  });

  it('does not retry a 500 or a 4xx', async () => {
    for (const status of [500, 400, 404]) {
      const { client, seen } = await fakeServer([{ status, body: 'nope' }, { status: 200, body: stage }]);
      await expect(client.details(7)).rejects.toBeInstanceOf(RpcError);
      expect(seen).toHaveLength(1);
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      server = undefined;
    }
  });

  it('retries an update after a 502 until it lands', async () => {
    const step = { id: 9, step_id: 7, number: 1, name: 'a', status: 'running' as const, exit_code: 0, version: 1 };
    const { client, seen } = await fakeServer([{ status: 502 }, { status: 503 }, { status: 200, body: { ...step, version: 2 } }]);
    expect((await client.updateStep(step)).version).toBe(2);
    expect(seen.map((s) => s.method)).toEqual(['PUT', 'PUT', 'PUT']);
  });

  it('sends a log batch once, whatever the answer', async () => {
    const { client, seen } = await fakeServer([{ status: 503 }]);
    await client.batch(9, [{ pos: 0, out: 'x\n', time: 0 }]);
    expect(seen).toHaveLength(1);
  });

  it('sends a log batch once more when its connection was cut (a load balancer restarting)', async () => {
    let requests = 0;
    server = http.createServer((request, response) => {
      requests++;
      if (requests === 1) request.socket.destroy();
      else response.end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const client = new RpcClient({ address: `http://127.0.0.1:${port}`, secret: 'sekret' });
    await client.batch(9, [{ pos: 0, out: 'x\n', time: 0 }]);
    expect(requests).toBe(2);
    client.close();
  });

  it('reads a watch answered 200 as a cancel and re-watches on 204', async () => {
    const { client, seen } = await fakeServer([{ status: 204 }, { status: 204 }, { status: 200 }]);
    expect(await client.watch(3, new AbortController().signal)).toBe(true);
    expect(seen.map((s) => s.url)).toEqual(['/rpc/v2/build/3/watch', '/rpc/v2/build/3/watch', '/rpc/v2/build/3/watch']);
  });

  it('accepts the config of stage details in either key case', async () => {
    const { client } = await fakeServer([{ status: 200, body: { stage, build: {}, repository: {}, config: { data: 'a2luZA==' } } }]);
    expect((await client.details(7)).config).toEqual({ Data: 'a2luZA==', Hash: null });
  });

  it("uses runner-go's fixed 10 s waits unless told otherwise", () => {
    expect(new RpcClient({ address: 'http://127.0.0.1:1', secret: 'x' }).retryPolicy).toEqual(RUNNER_GO_RETRY);
    expect(RUNNER_GO_RETRY).toEqual({ pollSleepMs: 10_000, retryMinMs: 10_000, retryMaxMs: 10_000 });
  });

  it('waits the poll sleep between a 204 and the next poll or watch', async () => {
    const { client, seen } = await fakeServer([{ status: 204 }, { status: 200, body: stage }], { retryMinMs: 5, retryMaxMs: 5, pollSleepMs: 150 });
    await client.request({ kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '' }, new AbortController().signal);
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(140);
    const watched = await fakeServer([{ status: 204 }, { status: 200 }], { retryMinMs: 5, retryMaxMs: 5, pollSleepMs: 150 });
    await watched.client.watch(3, new AbortController().signal);
    expect(watched.seen[1].at - watched.seen[0].at).toBeGreaterThanOrEqual(140);
  });

  it('stops a long poll at once when its signal aborts, even while sleeping', async () => {
    const { client } = await fakeServer([{ status: 204 }], { retryMinMs: 5, retryMaxMs: 5, pollSleepMs: 60_000 });
    const controller = new AbortController();
    const polling = client.request({ kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '' }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(polling).resolves.toBeUndefined();
  });

  it('reports a refused poll (4xx, 500) as an error instead of polling again in a loop', async () => {
    const { client, seen } = await fakeServer([{ status: 500, body: { message: 'database is down' } }, { status: 200, body: stage }]);
    await expect(client.request({ kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '' }, new AbortController().signal)).rejects.toThrow(/500/);
    expect(seen).toHaveLength(1);
  });

  it('retries through network errors until the server is back', async () => {
    const { client, seen } = await fakeServer([{ status: 200, body: { ...stage, version: 5 } }]);
    const { port } = server?.address() as AddressInfo;
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server?.closeAllConnections();
    const pending = client.updateStage({ ...stage, version: 4 } as never);
    await new Promise((resolve) => setTimeout(resolve, 100));
    server?.listen(port, '127.0.0.1');
    expect((await pending).version).toBe(5);
    expect(seen).toHaveLength(1);
  });

  it('recognises a Hangar server by its version answer, and a Drone server as not Hangar', async () => {
    const hangar = await fakeServer([{ status: 200, body: { source: 'https://github.com/hangar-ci/hangar', version: '0.1.0' } }]);
    expect(await hangar.client.isHangarServer()).toBe(true);
    expect(hangar.seen[0]).toMatchObject({ method: 'GET', url: '/version' });
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const drone = await fakeServer([{ status: 200, body: { source: 'https://github.com/drone/drone.git', version: '2.25.0' } }]);
    expect(await drone.client.isHangarServer()).toBe(false);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const broken = await fakeServer([{ status: 404, body: 'not found' }]);
    expect(await broken.client.isHangarServer()).toBe(false);
  });
});
