// No blank screens: when the API answers 500 or cannot be reached, each page shows the message.

import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertText, connectBrowser, openContext } from '../support/browser.js';
import { ADMIN_TOKEN, type BrowserHangar, REPO, startBrowserHangar } from '../support/browser-server.js';

let hangar: BrowserHangar;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [hangar, browser] = await Promise.all([startBrowserHangar(), connectBrowser()]);
  context = await openContext(browser, hangar.url, { token: ADMIN_TOKEN });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await hangar?.stop();
});

const PAGES = [
  ['the repository list', '/', '**/api/user/repos?*'],
  ['the build list', `/${REPO}`, `**/api/repos/${REPO}/builds?*`],
  ['a build', `/${REPO}/1`, `**/api/repos/${REPO}/builds/1`],
  ['the secrets', `/${REPO}/settings/secrets`, `**/api/repos/${REPO}/secrets`],
  ['the settings', `/${REPO}/settings`, `**/api/repos/${REPO}`],
  ['the cron jobs', `/${REPO}/settings/cron`, `**/api/repos/${REPO}/cron`],
  ['the account', '/account', '**/api/user/token'],
  ['the users', '/settings/users', '**/api/users'],
] as const;

/** How the API fails, as the browser sees it, and what the page must then say. */
const FAILURES: Array<[string, (route: Route) => Promise<void>, string]> = [
  ['answers 500', (route) => route.fulfill({ status: 500, json: { message: 'the database is on fire' } }), 'the database is on fire'],
  ['cannot be reached', (route) => route.abort('connectionrefused'), 'The server could not be reached'],
];

describe.each(PAGES)('%s', (_name, path, apiRoute) => {
  it.each(FAILURES)('shows a message when the API %s', async (_how, fail, message) => {
    await page.route(apiRoute, fail);
    try {
      await page.goto(path);
      expect(await alertText(page)).toContain(message);
    } finally {
      await page.unroute(apiRoute);
    }
  });
});

it('offers to sign in on a page the API refuses without a signed-in user (a private repository)', async () => {
  const route = `**/api/repos/${REPO}/builds?*`;
  await page.route(route, (r) => r.fulfill({ status: 401, json: { message: 'Unauthorized' } }));
  try {
    await page.goto(`/${REPO}`);
    expect(await alertText(page)).toContain('Sign in to see this page');
    expect(await page.getByRole('alert').first().getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/welcome');
  } finally {
    await page.unroute(route);
  }
});

it('shows an address that is no page as such', async () => {
  await page.goto('/octocat/hello/not-a-number');
  expect(await alertText(page)).toContain('There is no such build');
});

describe('the server', () => {
  it('serves the app at Drone addresses and keeps its own routes', async () => {
    const index = await fetch(`${hangar.url}/${REPO}/1/1/1`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    expect(html).toContain('<meta name="hangar-login" content="token"');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${hangar.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');

    const missing = await fetch(`${hangar.url}/api/no/such-route`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Not Found' });
    expect((await fetch(`${hangar.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${hangar.url}/login`)).status).toBe(404);
  });
});
