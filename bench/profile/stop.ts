// Node writes a CPU profile when its process exits, so profiled servers are stopped with SIGTERM first.

import { existsSync, readFileSync } from 'node:fs';
import { until } from '../../test/support/wait.js';
import type { BenchSetup } from '../support/setup.js';

export async function stopGracefully(setup: BenchSetup): Promise<void> {
  for (const pid of setup.serverPids()) {
    process.kill(pid, 'SIGTERM');
    await until(async () => !existsSync(`/proc/${pid}/stat`) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '), 30_000);
  }
}
