// Waits until the servers hold `count` parked runner polls (the `hangar_parked_polls` gauge of /metrics),
// so an open-loop measurement starts on idle runners that are really waiting.

import { until } from '../../test/support/wait.js';
import type { BenchSetup } from './setup.js';

async function gauge(setup: BenchSetup, url: string, name: string): Promise<number> {
  const response = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${setup.token}` } });
  const text = await response.text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? 0);
}

export async function parkedPolls(setup: BenchSetup): Promise<number> {
  const servers = [...new Set([setup.serverA, setup.serverB])];
  const values = await Promise.all(servers.map((url) => gauge(setup, url, 'hangar_parked_polls')));
  return values.reduce((a, b) => a + b, 0);
}

export async function waitParked(setup: BenchSetup, count: number, timeoutMs = 30_000): Promise<void> {
  await until(async () => (await parkedPolls(setup)) >= count, timeoutMs, 50);
}

export async function heldWatches(setup: BenchSetup): Promise<number> {
  const servers = [...new Set([setup.serverA, setup.serverB])];
  const values = await Promise.all(servers.map((url) => gauge(setup, url, 'hangar_held_watches')));
  return values.reduce((a, b) => a + b, 0);
}
