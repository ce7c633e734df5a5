// vitest globalSetup of `npm run bench`: when the run ends, the figures of bench/results/*.json are written
// into docs/PERFORMANCE.md between its `results` markers (the prose around them is kept).

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Figures, type ResultFile, RESULTS_DIR, flatten } from './results.js';
import { SMOKE } from './size.js';

const DOC = fileURLToPath(new URL('../../docs/PERFORMANCE.md', import.meta.url));
const BEGIN = '<!-- results:begin (written by npm run bench) -->';
const END = '<!-- results:end -->';
const ORDER = ['dispatch', 'logs', 'cancel', 'failover', 'idle', 'api', 'scale', 'docker', 'starlark', 'ui'];

interface Target {
  goal: string;
  scenario: string;
  /** Dotted path into the `ha` (or `single`) section. */
  key: string;
  kind?: 'single' | 'ha';
  holds(value: number): boolean;
}

/** The targets of the benchmarks issue, checked against the figures (reported, never asserted). */
const TARGETS: Target[] = [
  { goal: 'lifecycle of a one-step build ≥ 250 builds/s (cluster)', scenario: 'dispatch', key: 'burst.lifecycle_builds_per_s', holds: (v) => v >= 250 },
  { goal: 'lifecycle of a one-step build ≥ 600 builds/s (single)', scenario: 'dispatch', key: 'burst.lifecycle_builds_per_s', kind: 'single', holds: (v) => v >= 600 },
  { goal: '≤ 12 statements per build (pg_stat_statements, BEGIN and COMMIT included)', scenario: 'dispatch', key: 'burst.statements_per_build', holds: (v) => v <= 12 },
  { goal: 'reserve+accept ≥ 0.3 × pgbench', scenario: 'dispatch', key: 'burst.reserve_accept_ratio', holds: (v) => v >= 0.3 },
  { goal: 'cross-server dispatch p99 ≤ 15 ms, stock runners on B (create request included)', scenario: 'dispatch', key: 'p99_ms', holds: (v) => v <= 15 },
  { goal: "cross-server dispatch p99 ≤ 15 ms, Hangar's runner on B", scenario: 'dispatch', key: 'hangar_runner.p99_ms', holds: (v) => v <= 15 },
  { goal: 'as a user sees it (create on A, poll the build): p50 ≤ 25 ms', scenario: 'dispatch', key: 'api_view.p50_ms', holds: (v) => v <= 25 },
  { goal: 'as a user sees it: p99 ≤ 50 ms', scenario: 'dispatch', key: 'api_view.p99_ms', holds: (v) => v <= 50 },
  { goal: 'create request p99 ≤ 2 × its p50 (by branch, local git)', scenario: 'dispatch', key: 'api_view.create_request_p99_over_p50', holds: (v) => v <= 2 },
  { goal: "live log line p99 ≤ 100 ms with Hangar's runner", scenario: 'logs', key: 'p99_ms', holds: (v) => v <= 100 },
  { goal: 'log ingest ≥ 100,000 lines/s (cluster)', scenario: 'logs', key: 'ingest.lines_per_s', holds: (v) => v >= 100_000 },
  { goal: 'build list ≥ 0.3 × /healthz through HAProxy', scenario: 'api', key: 'ratio', holds: (v) => v >= 0.3 },
  { goal: 'scale: dispatch p99 ≤ 50 ms, 1,000 runners over 3 servers at 50 builds/s', scenario: 'scale', key: 'p99_ms', holds: (v) => v <= 50 },
  { goal: 'scale: ≤ 1 core per server', scenario: 'scale', key: 'cpu_percent_per_server', holds: (v) => v <= 100 },
  { goal: 'scale: ≤ 300 MB per server', scenario: 'scale', key: 'rss_mb_per_server', holds: (v) => v <= 300 },
  { goal: "cancel p99 ≤ 250 ms with Hangar's runner", scenario: 'cancel', key: 'p99_ms', holds: (v) => v <= 250 },
  { goal: 'failover: 0 builds lost', scenario: 'failover', key: 'builds_lost', holds: (v) => v === 0 },
  { goal: "failover stall ≤ 2 s (Hangar's runner)", scenario: 'failover', key: 'longest_stall_ms', holds: (v) => v <= 2000 },
  { goal: 'idle: ≤ 5 % of a core per server (200 runners)', scenario: 'idle', key: 'cpu_percent_per_server', holds: (v) => v <= 5 },
  { goal: 'idle: ≤ 150 MB RSS per server (200 runners)', scenario: 'idle', key: 'rss_mb_per_server', holds: (v) => v <= 150 },
];

function renderTargets(files: ResultFile[]): string {
  const rows = TARGETS.map((target) => {
    const file = files.find((f) => f.scenario === target.scenario);
    const kind = target.kind ?? 'ha';
    const value = valueAt(file?.[kind], target.key);
    const verdict = typeof value !== 'number' ? 'not measured' : target.holds(value) ? 'met' : '**missed**';
    return `| ${target.goal} | ${valueAt(file?.before?.[kind], target.key) ?? ''} | ${value ?? ''} | ${verdict} |`;
  });
  return ['### Targets (ha setup unless marked single)', '', '| target | the run before | measured | |', '|---|---|---|---|', ...rows].join('\n');
}

function valueAt(figures: Figures | undefined, key: string): Figures[string] | undefined {
  return flatten(figures ?? {}).find(([name]) => name === key)?.[1];
}

export function renderResults(files: ResultFile[]): string {
  const sorted = [...files].sort((a, b) => ORDER.indexOf(a.scenario) - ORDER.indexOf(b.scenario));
  const sections = sorted.map((file) => {
    const rows = new Map<string, { single?: unknown; ha?: unknown }>();
    for (const kind of ['single', 'ha'] as const) {
      for (const [key, value] of flatten(file[kind] ?? {})) rows.set(key, { ...(rows.get(key) ?? {}), [kind]: value });
    }
    const table = [...rows].map(([key, value]) => `| ${key} | ${cell(value.single)} | ${cell(value.ha)} |`);
    const notes = (file.notes ?? []).map((note) => `- ${note}`);
    return [`### ${file.scenario}`, '', `Measured ${file.measured_at} (${file.machine.cpus} × ${file.machine.cpu_model}, ${file.machine.memory_gb} GiB, Node ${file.machine.node}).`, '', '| figure | single (SQLite) | ha (2 servers, PostgreSQL, Redis, HAProxy) |', '|---|---|---|', ...table, ...(notes.length ? ['', ...notes] : [])].join('\n');
  });
  return [renderTargets(files), ...sections].join('\n\n');
}

function cell(value: unknown): string {
  return value === undefined ? '' : String(value);
}

export function readAllResults(): ResultFile[] {
  return readdirSync(RESULTS_DIR)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(`${RESULTS_DIR}${name}`, 'utf8')) as ResultFile);
}

export function writeReport(): void {
  const doc = readFileSync(DOC, 'utf8');
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${DOC} has no results markers`);
  writeFileSync(DOC, `${doc.slice(0, begin + BEGIN.length)}\n\n${renderResults(readAllResults())}\n\n${doc.slice(end)}`);
}

export default function setup(): () => void {
  return () => {
    if (!SMOKE) writeReport();
  };
}
