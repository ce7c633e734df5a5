// Gauges of the servers' /metrics summed over the servers: `hangar_parked_polls` (so an open-loop
// measurement starts on idle runners that are really waiting) and `hangar_held_watches`.

import { until } from '../../test/support/wait.js';
import type { BenchSetup } from './setup.js';

async function gaugeTotal(setup: BenchSetup, name: string): Promise<number> {
  const servers = setup.serverUrls;
  const values = await Promise.all(
    servers.map(async (url) => {
      const response = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${setup.token}` } });
      const line = (await response.text()).split('\n').find((l) => l.startsWith(`${name} `));
      return Number(line?.split(' ')[1] ?? 0);
    }),
  );
  return values.reduce((a, b) => a + b, 0);
}

export async function waitParked(setup: BenchSetup, count: number, timeoutMs = 30_000): Promise<void> {
  await until(async () => (await gaugeTotal(setup, 'hangar_parked_polls')) >= count, timeoutMs, 50);
}

export function heldWatches(setup: BenchSetup): Promise<number> {
  return gaugeTotal(setup, 'hangar_held_watches');
}
