// A server on its own (SQLite, no Redis, no load balancer to tell) stops within a second of SIGTERM, also
// with a runner's long-poll parked on it and an event stream open; its exit code is 0.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HangarProcess, type ServerProcess, startRunnerProcess, startServerProcess } from '../support/processes.js';

const RPC_SECRET = 'shutdown-rpc-secret';

describe('stopping a single server', () => {
  let dir: string;
  let server: ServerProcess;
  let runner: HangarProcess;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-shutdown-'));
    server = await startServerProcess({ DRONE_DATABASE_DATASOURCE: join(dir, 'hangar.sqlite'), DRONE_RPC_SECRET: RPC_SECRET, DRONE_RUNNER_CAPACITY: '1' });
    runner = await startRunnerProcess(server.url, { DRONE_RPC_SECRET: RPC_SECRET, DRONE_RUNNER_NAME: 'parked' });
  });
  afterAll(async () => {
    await runner?.kill('SIGKILL');
    await server?.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exits within a second of SIGTERM with a runner parked and a viewer streaming', async () => {
    const viewer = await fetch(`${server.url}/api/stream`);
    expect(viewer.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    const sent = Date.now();
    server.child.kill('SIGTERM');
    const code = await exited;
    const stoppedMs = Date.now() - sent;
    console.log(`drill sigterm-single-server: stopped in ${stoppedMs} ms`);
    expect(stoppedMs).toBeLessThan(1000);
    expect(code).toBe(0);
  });
});
