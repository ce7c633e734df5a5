// GET /api/system/cluster, the cluster page's data: the servers with their parked runner requests, the
// machines running stages, and for every stage not running, why it waits — dependencies, no runner whose
// labels match, accepted and starting, the queue paused.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build, Stage } from '../../../src/core/types.js';
import { goRequest } from '../../support/go-client.js';
import { type TestRepo, createTestRepo } from '../../support/git-repo.js';
import { EXEC_FILTER } from '../../support/seed.js';
import { ADMIN_TOKEN, RPC_SECRET, type TestServer, startTestServer } from '../../support/server.js';
import { until } from '../../support/wait.js';

const PIPELINES = `kind: pipeline
type: exec
name: gpu
node:
  gpu: "true"
steps:
- name: a
  commands: [echo a]
---
kind: pipeline
type: exec
name: after-gpu
depends_on: [gpu]
node:
  gpu: "true"
steps:
- name: b
  commands: [echo b]
`;

interface QueueEntry {
  repo: string;
  build: number;
  name: string;
  status: string;
  reason: string;
  detail: string;
}
interface Overview {
  paused: boolean;
  servers: Array<{ answering: boolean; parked_polls: number; address: string }>;
  waiting: Array<{ waiting: number; filter: { labels?: Record<string, string> } }>;
  runners: Array<{ name: string }>;
  queue: QueueEntry[];
}

describe('the cluster overview', () => {
  let server: TestServer;
  let dir: string;
  let repo: TestRepo;
  let build: Build;

  const api = async <T>(method: string, path: string): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, { method, headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const overview = () => api<Overview>('GET', '/api/system/cluster');
  const entry = async (name: string) => (await overview()).queue.find((item) => item.build === build.number && item.name === name);

  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3', env: { HANGAR_STAGE_POLL_HOLD: '20s' } });
    dir = await mkdtemp(join(tmpdir(), 'hangar-cluster-page-'));
    repo = await createTestRepo(dir);
    await repo.push({ '.drone.yml': PIPELINES }, 'gpu pipelines');
    await fetch(`${server.url}/api/repos/octocat/gpu`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ git_http_url: repo.url }) });
    build = await api<Build>('POST', '/api/repos/octocat/gpu/builds');
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('says a stage waits for a runner with its labels, and one for its dependencies', async () => {
    expect(await entry('gpu')).toMatchObject({ repo: 'octocat/gpu', status: 'pending', reason: 'no-runner', detail: 'no idle runner matches type exec, linux/amd64 with labels gpu=true' });
    expect(await entry('after-gpu')).toMatchObject({ status: 'waiting_on_dependencies', reason: 'dependencies', detail: 'waiting for gpu' });
  });

  it('shows a parked runner request with its filter on the server that holds it', async () => {
    const controller = new AbortController();
    const parked = goRequest(server.url, { method: 'POST', path: '/rpc/v2/stage', body: { ...EXEC_FILTER, labels: { os: 'other' } }, token: RPC_SECRET, signal: controller.signal }).catch(() => undefined);
    const seen = await until(async () => {
      const current = await overview();
      return current.servers[0].parked_polls === 1 && current;
    }, 10_000);
    controller.abort();
    await parked;
    expect(seen.servers[0]).toMatchObject({ answering: true });
    expect(seen.waiting).toEqual([expect.objectContaining({ waiting: 1, filter: expect.objectContaining({ labels: { os: 'other' } }) })]);
    // That runner cannot take the gpu stage: still no runner for it.
    expect(seen.queue.find((item) => item.name === 'gpu')?.reason).toBe('no-runner');
  });

  it('says a stage a runner accepted is starting there, and that the queue is paused', async () => {
    const offered = await goRequest(server.url, { method: 'POST', path: '/rpc/v2/stage', body: { ...EXEC_FILTER, labels: { gpu: 'true' } }, token: RPC_SECRET });
    const stage = offered.json<Stage>();
    expect((await goRequest(server.url, { method: 'POST', path: `/rpc/v2/stage/${stage.id}?machine=gpu-box`, token: RPC_SECRET })).status).toBe(200);
    expect(await entry('gpu')).toMatchObject({ reason: 'starting', detail: 'accepted by gpu-box' });

    await api('DELETE', '/api/queue');
    const other = await api<Build>('POST', '/api/repos/octocat/gpu/builds');
    const paused = await overview();
    expect(paused.paused).toBe(true);
    expect(paused.queue.find((item) => item.build === other.number && item.name === 'gpu')).toMatchObject({ reason: 'paused', detail: 'the queue is paused' });
    await api('POST', '/api/queue');
  });
});
