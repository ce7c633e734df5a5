// vitest globalSetup for the integration and e2e projects: one throwaway PostgreSQL cluster per run.
// Tests read its URL with `inject('postgresUrl')` and make their own database with createTestDatabase;
// `postgresDir` lets a test stop and restart the cluster (it comes back on the same port).
// HANGAR_TEST_POSTGRES_URL points the run at an existing cluster instead (never the machine's own on 5432).

import { rm } from 'node:fs/promises';

import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

import { startPostgres, stopPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    /** Empty when HANGAR_TEST_POSTGRES_URL is used: that cluster is not ours to stop. */
    postgresDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.HANGAR_TEST_POSTGRES_URL;
  if (external) {
    project.provide('postgresUrl', external);
    project.provide('postgresDir', '');
    return async () => {};
  }
  const cluster = await startPostgres();
  project.provide('postgresUrl', cluster.url);
  project.provide('postgresDir', cluster.dir);
  return async () => {
    await stopPostgres(cluster.dir, 'immediate');
    await rm(cluster.dir, { recursive: true, force: true });
  };
}
