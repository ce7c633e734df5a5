/// <reference lib="dom" />
// Browser tests' helpers: a page at a desktop or phone size (signed in with an API token, or not),
// screenshots written as test artefacts (test-artifacts/browser/, not committed), and an axe-core check.

import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { inject } from 'vitest';

export const ARTEFACTS = fileURLToPath(new URL('../../test-artifacts/browser/', import.meta.url));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} satisfies Record<string, BrowserContextOptions>;

export type ViewportName = keyof typeof VIEWPORTS;

/** The run's browser (browser-setup.ts). */
export function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('browserWsEndpoint'));
}

interface PageOptions {
  viewport?: ViewportName;
  /** An API token put where the UI keeps it, as if the visitor had signed in with it. */
  token?: string;
  colorScheme?: 'light' | 'dark';
}

export async function openContext(browser: Browser, baseURL: string, options: PageOptions = {}): Promise<BrowserContext> {
  const { viewport = 'desktop', token, colorScheme = 'light' } = options;
  const context = await browser.newContext({ ...VIEWPORTS[viewport], baseURL, colorScheme, timezoneId: 'UTC', locale: 'en-GB' });
  context.setDefaultTimeout(20_000);
  if (token) await context.addInitScript((value) => localStorage.setItem('hangar_token', value), token);
  return context;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTEFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** The serious and critical accessibility violations axe-core finds on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> };
    const axe = (window as unknown as { axe: { run(): Promise<Result> } }).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
  });
}

/** The page's text that the visitor sees in its alerts (error messages). */
export async function alertText(page: Page): Promise<string> {
  const alert = page.getByRole('alert').first();
  await alert.waitFor();
  return (await alert.textContent()) ?? '';
}
