// Not part of the suites: where a build's CPU goes during a lifecycle burst, per kind of process (the
// servers, PostgreSQL, Redis, HAProxy, the load generator), read from /proc before and after. Tells what a
// faster server could still win from what the rest of the machine costs.
//   HANGAR_PROFILE_SETUP=ha|single HANGAR_BENCH_INCLUDE=bench/profile/cpu-split.profile.test.ts \
//   npx vitest run --config bench/vitest.config.ts

import { readFileSync, readdirSync } from 'node:fs';
import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { lifecycleBurst } from '../support/burst.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';

const TICKS_PER_S = 100;

it('splits a lifecycle burst\'s CPU by process', async () => {
  const kind = process.env.HANGAR_PROFILE_SETUP === 'single' ? 'single' : 'ha';
  const builds = Number(process.env.HANGAR_PROFILE_BUILDS ?? 1000);
  const setup = await startSetup(kind, { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE });
  try {
    const servers = new Set(setup.serverPids());
    const classify = (pid: number, name: string) => (servers.has(pid) ? 'servers' : pid === process.pid ? 'load generator (simulated runners, creates)' : name);
    const before = ticksByKind(classify);
    const idleBefore = machineIdle();
    const startedAt = performance.now();
    const burst = await lifecycleBurst(setup, 50, builds);
    const elapsedS = (performance.now() - startedAt) / 1000;
    const after = ticksByKind(classify);
    const idle = (machineIdle() - idleBefore) / TICKS_PER_S;
    console.log(`${kind}: ${burst.buildsPerS} builds/s over ${elapsedS.toFixed(1)} s; machine idle ${idle.toFixed(1)} s of ${(2 * elapsedS).toFixed(1)} core-s`);
    const rows = [...after].map(([name, ticks]) => ({ name, ms: ((ticks - (before.get(name) ?? 0)) * 1000) / TICKS_PER_S / builds })).filter((row) => row.ms >= 0.05);
    for (const row of rows.sort((a, b) => b.ms - a.ms)) console.log(`${row.ms.toFixed(2).padStart(7)} ms CPU per build  ${row.name}`);
    console.log(`${rows.reduce((sum, row) => sum + row.ms, 0).toFixed(2).padStart(7)} ms CPU per build  in all`);
  } finally {
    await setup.close();
  }
}, 600_000);

/** CPU ticks (user + system) of every process now alive, summed by kind. */
function ticksByKind(classify: (pid: number, name: string) => string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const kind = classify(pid, name);
    sums.set(kind, (sums.get(kind) ?? 0) + Number(fields[11]) + Number(fields[12]));
  }
  return sums;
}

function machineIdle(): number {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return ticks[3] + ticks[4];
}
