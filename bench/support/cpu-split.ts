// Where the machine's CPU went while something ran, per kind of process (the servers, PostgreSQL, Redis,
// HAProxy, the load generator …), read from /proc before and after. For the profiles: it tells what a
// faster server could still win from what the rest of the machine costs.

import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_S = 100;

export interface CpuSplit {
  /** CPU milliseconds per kind of process, largest first (processes that exited meanwhile are missed). */
  byKind: Array<{ kind: string; ms: number }>;
  /** Wall-clock milliseconds of the run, and the machine's idle core-milliseconds in it. */
  elapsedMs: number;
  idleMs: number;
}

export async function cpuSplitDuring(serverPids: number[], run: () => Promise<void>): Promise<CpuSplit> {
  const servers = new Set(serverPids);
  const classify = (pid: number, name: string) => (servers.has(pid) ? 'servers' : pid === process.pid ? 'load generator' : name);
  const before = ticksByKind(classify);
  const idleBefore = machineIdleTicks();
  const startedAt = performance.now();
  await run();
  const elapsedMs = performance.now() - startedAt;
  const after = ticksByKind(classify);
  const idleMs = ((machineIdleTicks() - idleBefore) * 1000) / TICKS_PER_S;
  const byKind = [...after].map(([kind, ticks]) => ({ kind, ms: ((ticks - (before.get(kind) ?? 0)) * 1000) / TICKS_PER_S })).filter((row) => row.ms > 0);
  return { byKind: byKind.sort((a, b) => b.ms - a.ms), elapsedMs, idleMs };
}

/** The split as lines of CPU per unit of work (per build, per request). */
export function describeSplit(split: CpuSplit, units: number, unit: string, minimum = 0.005): string[] {
  const rows = split.byKind.map((row) => ({ ...row, per: row.ms / units })).filter((row) => row.per >= minimum);
  const total = split.byKind.reduce((sum, row) => sum + row.ms, 0) / units;
  return [
    ...rows.map((row) => `${row.per.toFixed(3).padStart(8)} ms CPU per ${unit}  ${row.kind}`),
    `${total.toFixed(3).padStart(8)} ms CPU per ${unit}  in all (machine idle ${((100 * split.idleMs) / (2 * split.elapsedMs)).toFixed(0)} % of 2 cores)`,
  ];
}

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

function machineIdleTicks(): number {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return ticks[3] + ticks[4];
}
