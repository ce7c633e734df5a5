// Figures from samples: percentiles (nearest rank), rates, and a server process's CPU and memory read from
// /proc, so the benchmarks measure the servers and not the benchmark process beside them.

import { readFileSync } from 'node:fs';

export interface Percentiles {
  count: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  return { count: sorted.length, p50_ms: round(at(0.5)), p95_ms: round(at(0.95)), p99_ms: round(at(0.99)), max_ms: round(sorted[sorted.length - 1] ?? Number.NaN) };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function ratio(value: number, baseline: number): number {
  return baseline > 0 ? round(value / baseline, 3) : Number.NaN;
}

const CLOCK_TICKS_PER_S = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** Resident memory of a process, in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return round(kb / 1024, 1);
}

/** Each process's CPU use while `run` runs: percent of one core. */
export async function cpuPercentDuring(pids: number[], run: () => Promise<void>): Promise<number[]> {
  const before = pids.map(cpuSeconds);
  const startedAt = performance.now();
  await run();
  const elapsedS = (performance.now() - startedAt) / 1000;
  return pids.map((pid, i) => round(((cpuSeconds(pid) - before[i]) / elapsedS) * 100));
}

/** The share of the machine's CPU time (all cores) that was busy while `run` ran, in percent. */
export async function machineBusyDuring(run: () => Promise<void>): Promise<number> {
  const before = machineTicks();
  await run();
  const after = machineTicks();
  return Math.round(100 * (1 - (after.idle - before.idle) / (after.total - before.total)));
}

/** The machine's CPU ticks from /proc/stat: all, and idle (idle + iowait). */
function machineTicks(): { total: number; idle: number } {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return { total: ticks.reduce((a, b) => a + b, 0), idle: ticks[3] + ticks[4] };
}

/** Resolves after `ms` — for pacing a load or a measuring window, never to wait for a result. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
