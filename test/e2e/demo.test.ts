// The README's first command, as a new user runs it: `npm start` is `hangar demo`. It must say where Hangar
// runs and how to build again, and its first build must succeed.

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type HangarProcess, spawnHangar } from '../support/processes.js';
import { shmTempDir } from '../support/shm.js';

let demo: HangarProcess | undefined;
let dir = '';

afterAll(async () => {
  await demo?.kill('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('starts Hangar with a demo repository whose first build succeeds', async () => {
  dir = await shmTempDir('hangar-demo-test-');
  demo = spawnHangar(['demo', '--dir', join(dir, 'demo')], { DRONE_SERVER_PORT: '127.0.0.1:0' });
  const [, url] = await demo.waitFor(/Hangar is running at (http:\/\/localhost:\d+)/, 60_000);
  await demo.waitFor(/Demo build #1: \w+/, 60_000);
  const output = demo.output();
  expect(output).toContain('Demo build #1: success');
  expect(output).toMatch(/✓ build: clone ✓, greet ✓, test ✓/);
  expect(output).toMatch(/DRONE_TOKEN=[0-9a-f]{32}/);
  expect(output).toContain('git push');
  // What it printed is true: the server answers there, with the build it reported.
  const token = /DRONE_TOKEN=([0-9a-f]{32})/.exec(output)?.[1];
  const builds = (await (await fetch(`${url}/api/repos/demo/hello/builds`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Array<{ number: number; status: string }>;
  expect(builds).toEqual([expect.objectContaining({ number: 1, status: 'success' })]);
  expect(await (await fetch(`${url}/`)).text()).toContain('Hangar');
});
