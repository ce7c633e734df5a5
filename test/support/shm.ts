// Where tests put what is written fast and often: the run's directory in /dev/shm (temp-root.ts makes it
// and removes it, killing any daemon left in it), or /dev/shm itself outside a test run.

import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';

export function shmTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(process.env.HANGAR_TEST_SHM_ROOT || '/dev/shm', prefix));
}
