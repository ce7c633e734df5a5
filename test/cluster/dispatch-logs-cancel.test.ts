// A two-server cluster behind HAProxy in layer 7 (Drone's HA setup), with runners attached to one server:
// work created on one server reaches runners parked on the other at once, a live log reads the same on
// every server, and a cancel sent to one server stops a step running for the other.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Build, Line } from '../../src/core/types.js';
import { CLUSTER_LEASE_MS, CLUSTER_TOKEN, type Cluster, startCluster } from '../support/cluster.js';
import { createTestRepo } from '../support/git-repo.js';
import { isRunning } from '../support/process-state.js';
import { until } from '../support/wait.js';

const SLUG = 'octocat/cluster';
/** The talkative step's log: the shell's echo of its command, then its 60 lines. */
const EXPECTED_LOG = ['+ for i in $(seq 1 60); do echo "line $i"; sleep 0.05; done\n', ...Array.from({ length: 60 }, (_, i) => `line ${i + 1}\n`)];

const PIPELINE = (dir: string) => `kind: pipeline
type: exec
name: quick
node:
  pin: b
clone:
  disable: true
trigger:
  branch: [main]
steps:
- name: hello
  commands:
  - echo hello
---
kind: pipeline
type: exec
name: talkative
node:
  pin: b
clone:
  disable: true
trigger:
  event: [custom]
  branch: [talk]
steps:
- name: lines
  commands:
  - for i in $(seq 1 60); do echo "line $i"; sleep 0.05; done
---
kind: pipeline
type: exec
name: sleeper
node:
  pin: b
clone:
  disable: true
trigger:
  branch: [sleep]
steps:
- name: sleep
  commands:
  - echo $$$$ > ${dir}/sleep-$\{DRONE_BUILD_NUMBER}.pid
  - exec sleep 600
`;

describe('a cluster of two servers (layer 7)', () => {
  let cluster: Cluster;
  let dir: string;
  let a: string;
  let b: string;

  beforeAll(async () => {
    cluster = await startCluster(inject('postgresUrl'), { servers: 2, mode: 'l7' });
    [a, b] = cluster.servers.map((server) => server.url);
    dir = await mkdtemp('/dev/shm/hangar-cluster-repo-');
    const repo = await createTestRepo(dir);
    await repo.push({ '.drone.yml': PIPELINE(dir) }, 'pipelines');
    for (const branch of ['talk', 'sleep']) await repo.branch(branch);
    await cluster.api('POST', `/api/repos/${SLUG}`, { git_http_url: repo.url, default_branch: 'main' });
    // The only runner that matches `node: {pin: b}` long-polls server B directly.
    await cluster.startRunner({ DRONE_RUNNER_LABELS: 'pin:b', DRONE_RUNNER_NAME: 'runner-on-b' }, b);
  });
  afterAll(async () => {
    await cluster?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('hands a build created through server A to a runner long-polling server B well within a second', async () => {
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const created = Date.now();
      const build = await cluster.api<Build>('POST', `/api/repos/${SLUG}/builds?branch=main`, undefined, a);
      await until(async () => (await cluster.api<Build>('GET', `/api/repos/${SLUG}/builds/${build.number}`, undefined, a)).stages?.[0]?.machine, 5_000, 5);
      waits.push(Date.now() - created);
      expect((await cluster.finished(SLUG, build.number)).status).toBe('success');
    }
    expect(Math.max(...waits)).toBeLessThan(1000);
  });

  it('shows the same complete live log of a running step through each server', async () => {
    const build = await cluster.api<Build>('POST', `/api/repos/${SLUG}/builds?branch=talk`, undefined, a);
    await until(async () => (await cluster.api<Build>('GET', `/api/repos/${SLUG}/builds/${build.number}`)).stages?.[0]?.steps?.[0]?.status === 'running', 10_000, 20);
    const [viaA, viaB] = await Promise.all([readLogStream(`${a}/api/stream/${SLUG}/${build.number}/1/1`), readLogStream(`${b}/api/stream/${SLUG}/${build.number}/1/1`)]);
    expect(viaA.map((l) => l.out)).toEqual(EXPECTED_LOG);
    expect(viaB).toEqual(viaA);
    expect(viaA.map((l) => l.pos)).toEqual(viaA.map((_, i) => i));
    expect((await cluster.finished(SLUG, build.number)).status).toBe('success');
  });

  it('resumes a live log on the other server after the last line seen, without gap or repeat', async () => {
    const build = await cluster.api<Build>('POST', `/api/repos/${SLUG}/builds?branch=talk`, undefined, a);
    await until(async () => (await cluster.api<Build>('GET', `/api/repos/${SLUG}/builds/${build.number}`)).stages?.[0]?.steps?.[0]?.status === 'running', 10_000, 20);
    const first = await readLogStream(`${a}/api/stream/${SLUG}/${build.number}/1/1`, { stopAfter: 10 });
    const rest = await readLogStream(`${b}/api/stream/${SLUG}/${build.number}/1/1`, { lastEventId: first.at(-1)?.pos });
    expect([...first, ...rest].map((l) => l.out)).toEqual(EXPECTED_LOG);
  });

  it('stops a step on a runner attached to server B within 2 s of a cancel sent to server A', async () => {
    const build = await cluster.api<Build>('POST', `/api/repos/${SLUG}/builds?branch=sleep`, undefined, a);
    const pidFile = join(dir, `sleep-${build.number}.pid`);
    const pid = await until(async () => Number((await readFile(pidFile, 'utf8').catch(() => '')).trim()) || undefined, 15_000);
    const cancelledAt = Date.now();
    const cancelled = await cluster.api<Build>('DELETE', `/api/repos/${SLUG}/builds/${build.number}`, undefined, a);
    expect(cancelled.status).toBe('killed');
    await until(async () => !isRunning(pid), 5_000, 20);
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
  });

  it('pausing the queue through server A stops dispatch to the runner on server B until B resumes it', async () => {
    expect((await fetch(`${a}/api/queue`, { method: 'DELETE', headers: admin() })).status).toBe(204);
    const build = await cluster.api<Build>('POST', `/api/repos/${SLUG}/builds?branch=main`, undefined, a);
    // Unpaused, the stage reaches the runner well within a second (the first test); paused, not in twice that.
    const claimed = await until(async () => (await cluster.api<Build>('GET', `/api/repos/${SLUG}/builds/${build.number}`, undefined, b)).stages?.[0]?.machine, 2_000, 50).catch(() => undefined);
    expect(claimed).toBeUndefined();
    expect((await fetch(`${b}/api/queue`, { method: 'POST', headers: admin() })).status).toBe(204);
    expect((await cluster.finished(SLUG, build.number)).status).toBe('success');
  });

  it('streams a build created on server A to a viewer of /api/stream on server B', async () => {
    const controller = new AbortController();
    const response = await fetch(`${b}/api/stream`, { headers: admin(), signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    // The stream says it is open (`: ping`) before any build is created.
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(': ping');
    const build = await cluster.api<Build>('POST', `/api/repos/${SLUG}/builds?branch=main`, undefined, a);
    const seen = await readEvents(reader, (event) => event.slug === SLUG && (event.build as Build | undefined)?.number === build.number);
    controller.abort();
    expect(seen).toMatchObject({ slug: SLUG, build: { number: build.number, event: 'custom' } });
    await cluster.finished(SLUG, build.number);
  });

  it('resolves the stage of a runner killed with -9 within the lease', async () => {
    const build = await cluster.api<Build>('POST', `/api/repos/${SLUG}/builds?branch=sleep`, undefined, a);
    const pid = await until(async () => Number((await readFile(join(dir, `sleep-${build.number}.pid`), 'utf8').catch(() => '')).trim()) || undefined, 15_000);
    await cluster.runners[0].kill('SIGKILL');
    const killedAt = Date.now();
    const done = await cluster.finished(SLUG, build.number, 20_000);
    expect(Date.now() - killedAt).toBeLessThan(CLUSTER_LEASE_MS + 2000);
    expect(done.status).toBe('error');
    expect(done.stages?.[0].error).toMatch(/runner lost/);
    process.kill(pid, 'SIGKILL');
  });
});

function admin(): Record<string, string> {
  return { Authorization: `Bearer ${CLUSTER_TOKEN}` };
}

/** Reads `data:` events of a build event stream until one matches (Drone's format: the repository with its build). */
async function readEvents(reader: ReadableStreamDefaultReader<Uint8Array>, match: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the event stream ended before the build was seen');
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
      buffer = buffer.slice(end + 2);
      const event = data ? (JSON.parse(data.slice(6)) as Record<string, unknown>) : undefined;
      if (event && match(event)) return event;
    }
  }
}

/** Reads a step's SSE log until `eof` (or `stopAfter` lines), optionally resuming after `lastEventId`. */
async function readLogStream(url: string, options: { lastEventId?: number; stopAfter?: number } = {}): Promise<Line[]> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { ...admin(), ...(options.lastEventId === undefined ? {} : { 'Last-Event-ID': String(options.lastEventId) }) },
    signal: controller.signal,
  });
  const lines: Line[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      if (event.includes('event: error')) return lines;
      const data = event.split('\n').find((l) => l.startsWith('data: '));
      if (data) lines.push(JSON.parse(data.slice(6)) as Line);
      if (options.stopAfter !== undefined && lines.length >= options.stopAfter) {
        controller.abort();
        return lines;
      }
    }
  }
  return lines;
}
