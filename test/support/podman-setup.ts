// vitest globalSetup for the docker project: one podman API service per run, shared by every docker test
// file (they run one at a time). Tests read its address with `inject('dockerHost')`.

import { rm } from 'node:fs/promises';

import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

import { startPodman, stopPodman } from './podman.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** unix://…/podman.sock */
    dockerHost: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const service = await startPodman();
  project.provide('dockerHost', service.dockerHost);
  return async () => {
    await stopPodman(service.dir);
    await rm(service.dir, { recursive: true, force: true });
  };
}
