// With an SCM provider configured, the welcome page signs in through the server's /login (OAuth), not with
// a token. The provider here is an address nothing answers: the test stops at the browser's way out to it.

import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectBrowser, openContext, screenshot, seriousViolations } from '../support/browser.js';
import { type ServerProcess, startServerProcess } from '../support/processes.js';

const GITEA = 'http://127.0.0.1:9';

let dir: string;
let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  dir = await mkdtemp('/dev/shm/hangar-browser-scm-');
  [server, browser] = await Promise.all([
    startServerProcess({
      DRONE_DATABASE_DATASOURCE: join(dir, 'core.sqlite'),
      DRONE_RPC_SECRET: 'browser-rpc-secret',
      DRONE_GITEA_SERVER: GITEA,
      DRONE_GITEA_CLIENT_ID: 'client-id',
      DRONE_GITEA_CLIENT_SECRET: 'client-secret',
    }),
    connectBrowser(),
  ]);
  context = await openContext(browser, server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.kill('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('sends a visitor to the provider through /login', async () => {
  const page = await context.newPage();
  await page.goto('/');
  await page.waitForURL('**/welcome');
  const signIn = page.getByRole('link', { name: 'Sign in with Gitea' });
  await signIn.waitFor();
  expect(await page.getByLabel('API token').count()).toBe(0);
  await screenshot(page, 'welcome-scm');
  expect(await seriousViolations(page)).toEqual([]);

  await page.route(`${GITEA}/**`, (route) => route.abort());
  const toProvider = page.waitForRequest((request) => request.url().startsWith(`${GITEA}/login/oauth/authorize`));
  await signIn.click();
  const authorize = new URL((await toProvider).url());
  expect(authorize.searchParams.get('client_id')).toBe('client-id');
});
