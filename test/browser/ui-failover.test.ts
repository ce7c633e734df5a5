// In a two-server cluster behind HAProxy, a browser following a live log keeps every line, in order and
// once, after the server serving its stream is killed: each server is killed (kill -9) and restarted in
// turn while the step is paused half way, so whichever server served the stream died under it.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Build } from '../../src/core/types.js';
import { connectBrowser, openContext, screenshot } from '../support/browser.js';
import { CLUSTER_TOKEN, type Cluster, startCluster } from '../support/cluster.js';
import { createTestRepo } from '../support/git-repo.js';

const SLUG = 'octocat/failover';

const pipeline = (release: string) => `kind: pipeline
type: exec
name: count
clone:
  disable: true
steps:
- name: count
  commands:
  - for i in $$(seq 1 10); do echo "before $$i"; done
  - while [ ! -f ${release} ]; do sleep 0.1; done
  - for i in $$(seq 1 10); do echo "after $$i"; done
`;

let cluster: Cluster;
let browser: Browser;
let context: BrowserContext;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp('/dev/shm/hangar-browser-failover-');
  [cluster, browser] = await Promise.all([startCluster(inject('postgresUrl'), { servers: 2 }), connectBrowser()]);
  await cluster.startRunner();
  const repo = await createTestRepo(dir);
  await repo.push({ '.drone.yml': pipeline(join(dir, 'release')) }, 'Count across a failover');
  await cluster.api('POST', `/api/repos/${SLUG}`, { git_http_url: repo.url, default_branch: 'main' });
  context = await openContext(browser, cluster.url, { token: CLUSTER_TOKEN });
});

afterAll(async () => {
  await browser?.close();
  await cluster?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The step's output lines as the page shows them (the runner's `+ command` traces left out). */
async function outputLines(page: Page): Promise<string[]> {
  const texts = await page.locator('.log-text').allTextContents();
  return texts.filter((text) => /^(before|after) \d+$/.test(text));
}

it('keeps every line of a live log, in order, when the servers behind the stream are killed', async () => {
  const build = await cluster.api<Build>('POST', `/api/repos/${SLUG}/builds?branch=main`);
  const page = await context.newPage();
  const logStream = `/api/stream/${SLUG}/${build.number}/1/1`;
  const connections: Array<Promise<string | undefined>> = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === logStream) connections.push(request.allHeaders().then((headers) => headers['last-event-id'] ?? url.searchParams.get('after') ?? undefined));
  });
  await page.goto(`/${SLUG}/${build.number}/1/1`);
  await page.locator('.log-text', { hasText: /^before 10$/ }).waitFor();

  for (const server of cluster.servers) {
    await server.kill('SIGKILL');
    await server.start();
    await cluster.haproxy.waitForServer(server.name, 'UP', 15_000);
  }
  await writeFile(join(dir, 'release'), '');

  await page.locator('.log-text', { hasText: /^after 10$/ }).waitFor({ timeout: 30_000 });
  await page.getByRole('status').filter({ hasText: 'Exit code 0' }).waitFor({ timeout: 30_000 });
  const expected = [...Array.from({ length: 10 }, (_, i) => `before ${i + 1}`), ...Array.from({ length: 10 }, (_, i) => `after ${i + 1}`)];
  expect(await outputLines(page)).toEqual(expected);
  const numbers = await page.locator('.log-number').allTextContents();
  expect(numbers).toEqual(numbers.map((_, index) => String(index + 1)));
  // The stream was cut and resumed: reconnections said where they stopped (Last-Event-ID, or ?after=).
  const resumedFrom = await Promise.all(connections);
  expect(resumedFrom.length).toBeGreaterThan(1);
  expect(resumedFrom[0]).toBeUndefined();
  for (const position of resumedFrom.slice(1)) expect(Number(position)).toBeGreaterThanOrEqual(10);
  await screenshot(page, 'failover-log');
});
