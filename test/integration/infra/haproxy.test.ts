// HAProxy with deploy/'s configurations and Drone's documented ones, in front of tiny HTTP backends:
// round robin, failover without a lost request, long-polls held through, and the scripts' checks.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { DEPLOY_CONFIGS, DRONE_DOCS_CONFIGS, type Haproxy, startHaproxy } from '../../support/haproxy.js';
import { type Answer, type Backend, get, startBackend } from './backends.js';

const run = promisify(execFile);
const scripts = fileURLToPath(new URL('../../../scripts/', import.meta.url));

const started: Haproxy[] = [];
const backends: Backend[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.stop()));
  await Promise.all(backends.splice(0).map((b) => b.kill().catch(() => {})));
});

async function twoBackends(): Promise<[Backend, Backend]> {
  const pair: [Backend, Backend] = [await startBackend('a'), await startBackend('b')];
  backends.push(...pair);
  return pair;
}

async function haproxy(options: Parameters<typeof startHaproxy>[0]): Promise<Haproxy> {
  const instance = await startHaproxy(options);
  started.push(instance);
  return instance;
}

async function sequence(url: string, count: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < count; i++) answers.push(await get(url));
  return answers;
}

// The first start installs Debian's haproxy when it is missing, which takes a while: do it here, with a
// generous timeout, rather than in the first test.
beforeAll(async () => {
  const backend = await startBackend('install');
  const proxy = await startHaproxy({ mode: 'l7', servers: [backend] });
  await proxy.stop();
  await backend.kill();
}, 180_000);

describe('scripts/haproxy-start.sh', () => {
  it('refuses an invalid configuration with HAProxy\'s own message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hangar-haproxy-bad-'));
    const config = join(dir, 'bad.cfg');
    await writeFile(config, 'defaults\n    mode http\n    no-such-keyword 1\n');
    try {
      await expect(run(join(scripts, 'haproxy-start.sh'), [dir, config])).rejects.toThrow(/unknown keyword 'no-such-keyword'/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('accepts deploy/haproxy-l4.cfg and deploy/haproxy-l7.cfg as written', async () => {
    for (const config of Object.values(DEPLOY_CONFIGS)) {
      const { stdout } = await run('/usr/sbin/haproxy', ['-c', '-f', config]);
      expect(stdout).toContain('Configuration file is valid');
    }
  });
});

describe('deploy/haproxy-l7.cfg', () => {
  it('round-robins between the servers and names the one that answered in X-App-Server', async () => {
    const [a, b] = await twoBackends();
    const proxy = await haproxy({ mode: 'l7', servers: [a, b] });
    await proxy.waitForServer('a', 'UP');
    await proxy.waitForServer('b', 'UP');

    const answers = await sequence(proxy.url, 6);
    expect(answers.map((x) => x.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const servers = answers.map((x) => x.appServer);
    expect(new Set(servers)).toEqual(new Set(['drone_servers/a', 'drone_servers/b']));
    for (let i = 1; i < servers.length; i++) expect(servers[i]).not.toBe(servers[i - 1]);
    expect(answers.map((x) => `drone_servers/${x.body}`)).toEqual(servers);
  });

  it('marks a killed server DOWN within about a second and loses no request meanwhile (redispatch)', async () => {
    const [a, b] = await twoBackends();
    const proxy = await haproxy({ mode: 'l7', servers: [a, b] });
    await proxy.waitForServer('b', 'UP');

    // One request every 50 ms, from before the kill until HAProxy has taken b out and then some.
    const answers: Array<Answer | Error> = [];
    let stop = false;
    const load = (async () => {
      while (!stop) {
        answers.push(await get(proxy.url).catch((err: Error) => err));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    while (answers.length < 5) await new Promise((resolve) => setTimeout(resolve, 20));

    await b.kill();
    const downAfterMs = await proxy.waitForServer('b', 'DOWN', 5_000);
    const sentBeforeDown = answers.length;
    while (answers.length < sentBeforeDown + 5) await new Promise((resolve) => setTimeout(resolve, 20));
    stop = true;
    await load;

    expect(downAfterMs).toBeLessThan(1_500);
    const failed = answers.filter((x) => x instanceof Error || x.status !== 200);
    expect(failed).toEqual([]);
    const afterDown = answers.slice(sentBeforeDown) as Answer[];
    expect(afterDown.every((x) => x.appServer === 'drone_servers/a')).toBe(true);
    // Requests that met b's closed port were retried on a: that is what kept them alive.
    const bState = (await proxy.serverStates()).find((s) => s.server === 'b');
    expect(bState?.redispatches ?? 0).toBeGreaterThan(0);

    await b.restart();
    expect(await proxy.waitForServer('b', 'UP', 5_000)).toBeLessThan(2_000);
  });
});

describe('deploy/haproxy-l4.cfg', () => {
  it('holds a 5 s long-poll through (timeout server 120s)', async () => {
    const [a, b] = await twoBackends();
    const proxy = await haproxy({ mode: 'l4', servers: [a, b] });
    const started = Date.now();
    const answer = await get(proxy.url, '/longpoll?ms=5000');
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
  });

  it('balances connections round robin and takes a killed server out with its HTTP checks', async () => {
    const [a, b] = await twoBackends();
    const proxy = await haproxy({ mode: 'l4', servers: [a, b] });
    await proxy.waitForServer('a', 'UP');

    const bodies = (await sequence(proxy.url, 4)).map((x) => x.body);
    expect(new Set(bodies)).toEqual(new Set(['a', 'b']));
    expect(bodies[0]).not.toBe(bodies[1]);

    await a.kill();
    expect(await proxy.waitForServer('a', 'DOWN', 5_000)).toBeLessThan(1_500);
    const after = await sequence(proxy.url, 4);
    expect(after.map((x) => x.body)).toEqual(['b', 'b', 'b', 'b']);
  });
});

describe("Drone's documented configurations, as written (listen port and server addresses remapped)", () => {
  it('layer 7: round robin with X-App-Server', async () => {
    const [a, b] = await twoBackends();
    const proxy = await haproxy({ template: DRONE_DOCS_CONFIGS.l7, servers: [
      { name: 'server1', host: a.host, port: a.port },
      { name: 'server2', host: b.host, port: b.port },
    ], statsSocket: false });
    const answers = await sequence(proxy.url, 4);
    expect(answers.map((x) => x.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((x) => x.appServer))).toEqual(new Set(['drone_servers/server1', 'drone_servers/server2']));
    expect(answers[0].appServer).not.toBe(answers[1].appServer);
  });

  it('layer 4: round robin, and a 5 s long-poll held through', async () => {
    const [a, b] = await twoBackends();
    const proxy = await haproxy({ template: DRONE_DOCS_CONFIGS.l4, servers: [
      { name: 'server1', host: a.host, port: a.port },
      { name: 'server2', host: b.host, port: b.port },
    ], statsSocket: false });
    const started = Date.now();
    const longPoll = get(proxy.url, '/longpoll?ms=5000');
    // Layer 4 balances connections, the long poll's among them, which may reach HAProxy before or after the
    // first request: which server comes first is a race, that both serve is not.
    const bodies = (await sequence(proxy.url, 4)).map((x) => x.body);
    expect(new Set(bodies)).toEqual(new Set(['a', 'b']));
    expect((await longPoll).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
  });
});
