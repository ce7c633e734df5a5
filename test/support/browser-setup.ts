// vitest globalSetup for the browser project: one Chromium (Debian's package, installed by
// scripts/chromium-install.sh when missing) for the whole run, which every test file connects to through
// playwright-core with `inject('browserWsEndpoint')`. The ui benchmark launches its own with the same options.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type LaunchOptions, chromium } from 'playwright-core';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    browserWsEndpoint: string;
  }
}

const INSTALL = fileURLToPath(new URL('../../scripts/chromium-install.sh', import.meta.url));

/** Debian's Chromium, installed when missing, and the arguments the tests run it with. */
export async function chromiumLaunchOptions(): Promise<LaunchOptions> {
  const { stdout } = await promisify(execFile)(INSTALL, { timeout: 600_000 });
  // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
  return { executablePath: stdout.trim(), args: ['--no-sandbox', '--disable-dev-shm-usage'] };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await chromium.launchServer(await chromiumLaunchOptions());
  project.provide('browserWsEndpoint', server.wsEndpoint());
  return async () => server.close();
}
