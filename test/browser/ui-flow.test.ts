/// <reference lib="dom" />
// The web UI as a user drives it, in Chromium against a real server with an embedded exec runner: sign in
// with a token, open the repository, start a build with a parameter and watch its log arrive live to the
// end, cancel another build, add a secret and a cron job; the same pages at 375 px; a public repository
// for a signed-out visitor; the cluster page. Each main page is screenshotted and checked with axe-core.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Build } from '../../src/core/types.js';
import { type ViewportName, alertText, connectBrowser, openContext, screenshot, seriousViolations } from '../support/browser.js';
import { ADMIN_TOKEN, type BrowserHangar, REPO, startBrowserHangar } from '../support/browser-server.js';

let hangar: BrowserHangar;
let browser: Browser;

beforeAll(async () => {
  [hangar, browser] = await Promise.all([startBrowserHangar(), connectBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await hangar?.stop();
});

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

const logLines = (page: Page) => page.getByRole('region', { name: 'Log lines', exact: true });
/** The log line whose text (not its number) is `text`. */
const outputLine = (page: Page, text: string) => logLines(page).locator('.log-text').filter({ hasText: new RegExp(`^${text}$`) });

/** The text of the log's lines as shown. */
async function logText(page: Page): Promise<string> {
  return (await logLines(page).textContent()) ?? '';
}

describe('desktop', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await openContext(browser, hangar.url);
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  it('sends a visitor to sign in, refuses a wrong token and accepts the right one', async () => {
    await page.goto('/');
    await page.waitForURL('**/welcome');
    await page.getByRole('heading', { name: 'Sign in with an API token' }).waitFor();
    await screenshot(page, 'welcome');
    await expectAccessible(page);

    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await alertText(page)).toContain('Unauthorized');

    await page.getByLabel('API token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /octocat\/hello/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('link', { name: 'octocat', exact: true }).waitFor();
    await screenshot(page, 'repositories');
    await expectAccessible(page);
  });

  it('starts a build with a parameter and shows its log live, in colour, to the end', async () => {
    // The tests after this one need build #1 to end, also when this one fails half way.
    onTestFinished(() => hangar.release(1));
    await page.getByRole('link', { name: /octocat\/hello/ }).click();
    await page.waitForURL(`**/${REPO}`);
    await page.getByText('No builds yet').waitFor();

    await page.getByRole('button', { name: 'New build' }).click();
    await page.getByRole('dialog').getByLabel('Branch').fill('main');
    await page.getByRole('button', { name: 'Add a parameter' }).click();
    await page.getByLabel('Parameter 1 name').fill('GREETING');
    await page.getByLabel('Parameter 1 value').fill('hello-from-the-ui');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Create', exact: true }).click();

    // The new build opens at its first step, which is still running: its lines arrive as they are written.
    await page.waitForURL(`**/${REPO}/1/1/1`);
    await logLines(page).getByText('waiting for release', { exact: true }).waitFor();
    // The step's status comes by another path than its lines (a build event, then the build read again):
    // the line may be shown first.
    await page.getByRole('status').filter({ hasText: 'Running…' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Running…' }).count()).toBe(1);
    expect(await logText(page)).toContain('greeting=hello-from-the-ui');
    // The colours of the step's output (the runner's trace of the command shows them too).
    const green = logLines(page).locator('.ansi-green-fg', { hasText: 'green hello' }).last();
    expect(await green.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(63, 185, 80)');
    const boldRed = logLines(page).locator('.ansi-red-fg', { hasText: 'bold red' }).last();
    expect(await boldRed.evaluate((element) => [getComputedStyle(element).color, getComputedStyle(element).fontWeight])).toEqual(['rgb(255, 123, 114)', '700']);
    expect(await page.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'build-running');
    await expectAccessible(page);

    await hangar.release(1);
    await logLines(page).getByText('released, finishing', { exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Exit code 0' }).waitFor();
    await page.locator('.build-status', { hasText: 'success' }).waitFor();
    // Numbered lines, each once, in order.
    const numbers = await page.locator('.log-number').allTextContents();
    expect(numbers).toEqual(numbers.map((_, index) => String(index + 1)));
    expect(await logLines(page).getByText('waiting for release', { exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Download' }).waitFor();
    await screenshot(page, 'build-finished');
  });

  it('shows a build started elsewhere without a reload, and cancels it', async () => {
    await page.getByRole('link', { name: 'Builds', exact: true }).click();
    await page.getByRole('link', { name: /^success #1 / }).waitFor();
    const created = await hangar.api<Build>('POST', `/api/repos/${REPO}/builds?branch=main`);
    await page.getByRole('link', { name: new RegExp(`^\\w+ #${created.number} `) }).click();
    await logLines(page).getByText('waiting for release', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.build-status', { hasText: 'killed' }).waitFor();
    await page.getByRole('button', { name: 'Restart' }).waitFor();
    const stored = await hangar.api<Build>('GET', `/api/repos/${REPO}/builds/${created.number}`);
    expect(stored.status).toBe('killed');
    await page.getByRole('link', { name: 'Builds', exact: true }).click();
    await page.getByRole('link', { name: new RegExp(`^killed #${created.number} `) }).waitFor();
    await screenshot(page, 'builds');
    await expectAccessible(page);

    await page.getByLabel('Status').selectOption('killed');
    await page.waitForURL('**?status=killed');
    await page.getByRole('link', { name: /^success #1 / }).waitFor({ state: 'detached' });
    expect(await page.getByRole('list', { name: 'Builds' }).getByRole('link').count()).toBe(1);
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('link', { name: /^success #1 / }).waitFor();
  });

  it('promotes a build to a target with a parameter', async () => {
    await page.getByRole('link', { name: /^success #1 / }).click();
    await page.getByRole('button', { name: 'Promote' }).click();
    await page.getByLabel('Target').fill('staging');
    await page.getByRole('button', { name: 'Add a parameter' }).click();
    await page.getByLabel('Parameter 1 name').fill('GREETING');
    await page.getByLabel('Parameter 1 value').fill('promoted');
    await page.getByRole('dialog').getByRole('button', { name: 'Promote' }).click();
    // The new build opens in place of build 1.
    await page.waitForURL((url) => /^\/octocat\/hello\/\d+\/1\/1$/.test(url.pathname) && !url.pathname.startsWith(`/${REPO}/1/`));
    const number = Number(new URL(page.url()).pathname.split('/')[3]);
    await outputLine(page, 'greeting=promoted').waitFor();
    await hangar.release(number);
    await page.getByRole('status').filter({ hasText: 'Exit code 0' }).waitFor();
    const promoted = await hangar.api<Build>('GET', `/api/repos/${REPO}/builds/${number}`);
    expect(promoted).toMatchObject({ event: 'promote', deploy_to: 'staging', params: { GREETING: 'promoted' } });
  });

  it('shows the graph of the stages and of the steps', async () => {
    await page.goto(`/${REPO}/1/1/1`);
    await page.getByRole('link', { name: 'Graph', exact: true }).click();
    await page.waitForURL('**/1/1/1?view=graph');
    const steps = page.getByRole('group', { name: 'Steps of greet' });
    await steps.getByRole('link', { name: /bulk/ }).waitFor();
    expect(await page.getByRole('group', { name: 'Stages' }).getByRole('link').allTextContents()).toEqual(['✓greet']);
    expect(await steps.getByRole('link').allTextContents()).toEqual(['✓hello', '✓bulk']);
    await screenshot(page, 'build-graph');
    await expectAccessible(page);
    // Choosing a step keeps the graph view.
    await steps.getByRole('link', { name: /bulk/ }).click();
    await page.waitForURL('**/1/1/2?view=graph');
  });

  it('adds a secret and a cron job in the settings', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'General' }).waitFor();
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Secrets' }).click();
    await page.getByText('No secrets.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('deploy_key');
    await page.getByLabel('Value').fill('s3cr3t');
    await page.getByRole('button', { name: 'Add the secret' }).click();
    await page.getByRole('cell', { name: 'deploy_key', exact: true }).waitFor();
    expect(await page.content()).not.toContain('s3cr3t');
    await screenshot(page, 'settings-secrets');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Cron jobs' }).click();
    // The secrets form also has a Name field: wait for the cron page before filling it.
    await page.getByText('No cron jobs.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('nightly');
    await page.getByLabel('Branch').fill('main');
    await page.getByLabel('Schedule').fill('@daily');
    await page.getByRole('button', { name: 'Add the cron job' }).click();
    await page.getByRole('cell', { name: 'nightly', exact: true }).waitFor();
    const crons = await hangar.api<Array<{ name: string; expr: string }>>('GET', `/api/repos/${REPO}/cron`);
    expect(crons).toEqual([expect.objectContaining({ name: 'nightly', expr: '@daily' })]);
    await screenshot(page, 'settings-cron');
    await expectAccessible(page);

    await page.goto('/account');
    await page.getByText(ADMIN_TOKEN).first().waitFor();
    await expectAccessible(page);
  });

  it('lets an admin add a machine user', async () => {
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.waitForURL('**/settings/users');
    await page.getByRole('cell', { name: 'octocat', exact: true }).waitFor();
    await page.getByLabel('Login').fill('deployer');
    await page.getByLabel('Machine user').check();
    await page.getByRole('button', { name: 'Add the user' }).click();
    await page.getByRole('cell', { name: 'deployer', exact: true }).waitFor();
    const users = await hangar.api<Array<{ login: string; machine: boolean }>>('GET', '/api/users');
    expect(users).toContainEqual(expect.objectContaining({ login: 'deployer', machine: true }));
    await screenshot(page, 'users');
    await expectAccessible(page);
  });

  it('shows the cluster: the server, the runner and what it runs, and why a stage waits', async () => {
    const running = await hangar.api<Build>('POST', `/api/repos/${REPO}/builds?branch=main`);
    await hangar.api('DELETE', '/api/queue');
    const held = await hangar.api<Build>('POST', `/api/repos/${REPO}/builds?branch=main`);
    try {
      await page.getByRole('link', { name: 'Cluster', exact: true }).click();
      await page.waitForURL('**/settings/cluster');
      await page.getByText('(this page)').waitFor();
      const queue = page.getByRole('region', { name: 'Queue' });
      await queue.getByRole('row', { name: new RegExp(`${REPO}#${held.number} greet .*the queue is paused`) }).waitFor();
      // The refresh brings the running stage once the embedded runner has it.
      await page.getByRole('region', { name: 'Runners' }).getByRole('link', { name: new RegExp(`${REPO}#${running.number} greet`) }).waitFor();
      expect(await page.getByRole('region', { name: 'Runners' }).textContent()).toContain('browser-runner');
      await screenshot(page, 'cluster');
      await expectAccessible(page);
    } finally {
      await hangar.api('POST', '/api/queue');
      await hangar.release(running.number);
      await hangar.release(held.number);
    }
  });
});

describe('a long log', () => {
  it('keeps only the visible lines of 10,000 in the page and follows the end', async () => {
    const build = await hangar.api<Build>('POST', `/api/repos/${REPO}/builds?branch=main&LINES=10000`);
    await hangar.release(build.number);
    const context = await openContext(browser, hangar.url, { token: ADMIN_TOKEN });
    try {
      const page = await context.newPage();
      await page.goto(`/${REPO}/${build.number}/1/2`);
      await page.getByText('10001 lines').waitFor();
      await outputLine(page, '10000').waitFor();
      expect(await page.locator('.log-line').count()).toBeLessThan(200);
      // A link to a line shows that line.
      await page.goto(`/${REPO}/${build.number}/1/2#L5000`);
      await logLines(page).getByRole('link', { name: '5000', exact: true }).waitFor();
      expect(await outputLine(page, '4999').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe.each<[ViewportName, 'light' | 'dark']>([
  ['phone', 'light'],
  ['desktop', 'dark'],
])('the main pages on %s, %s', (viewport, colorScheme) => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await openContext(browser, hangar.url, { viewport, colorScheme, token: ADMIN_TOKEN });
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  const pages: Array<[string, string, (page: Page) => Promise<void>]> = [
    ['repositories', '/', (p) => p.getByRole('link', { name: /octocat\/hello/ }).waitFor()],
    ['builds', `/${REPO}`, (p) => p.getByRole('link', { name: /^success #1 / }).waitFor()],
    ['build', `/${REPO}/1/1/1`, (p) => p.getByRole('status').filter({ hasText: 'Exit code 0' }).waitFor()],
  ];

  it.each(pages)('shows %s without overflowing the screen', async (name, path, loaded) => {
    await page.goto(path);
    await loaded(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await screenshot(page, `${name}-${viewport}-${colorScheme}`);
    await expectAccessible(page);
  });
});

describe('a signed-out visitor', () => {
  it('sees the builds of a public repository', async () => {
    await hangar.api('PATCH', `/api/repos/${REPO}`, { visibility: 'public' });
    const context = await openContext(browser, hangar.url);
    try {
      const page = await context.newPage();
      await page.goto(`/${REPO}`);
      await page.getByRole('link', { name: /^success #1 / }).waitFor();
      await page.getByRole('link', { name: 'Sign in' }).waitFor();
      expect(await page.getByRole('button', { name: 'New build' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
