// Writes bench/results/<scenario>.json: one section per setup (`single`, `ha`), times under `_ms` keys,
// rates under `_per_s` keys, baselines and ratios beside them. A smoke run prints and writes nothing.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SetupKind } from './setup.js';
import { SMOKE } from './size.js';

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

export type Figures = { [key: string]: number | string | boolean | null | Figures };

export interface ResultFile {
  scenario: string;
  measured_at: string;
  machine: { cpus: number; cpu_model: string; memory_gb: number; node: string };
  notes?: string[];
  single?: Figures;
  ha?: Figures;
  /** Each setup's figures of the run before, with when they were measured: the report shows them beside the new ones. */
  before?: { single?: Figures; ha?: Figures };
}

export function machine(): ResultFile['machine'] {
  const list = cpus();
  return { cpus: list.length, cpu_model: list[0]?.model ?? 'unknown', memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version };
}

function resultPath(scenario: string): string {
  return `${RESULTS_DIR}${scenario}.json`;
}

export function readResult(scenario: string): ResultFile | undefined {
  try {
    return JSON.parse(readFileSync(resultPath(scenario), 'utf8')) as ResultFile;
  } catch {
    return undefined;
  }
}

/** Records one setup's figures of a scenario (the other setup's section is kept) and prints them. */
export function recordResult(scenario: string, kind: SetupKind, figures: Figures, notes: string[] = []): void {
  printFigures(`${scenario} / ${kind}${SMOKE ? ' (smoke size)' : ''}`, figures);
  if (SMOKE) return;
  const previous = readResult(scenario);
  const replaced = previous?.[kind] && { measured_at: previous.measured_at, ...previous[kind] };
  const before = { ...(previous?.before ?? {}), ...(replaced ? { [kind]: replaced } : {}) };
  const file: ResultFile = { ...(previous ?? {}), scenario, measured_at: new Date().toISOString(), machine: machine(), [kind]: figures, before };
  if (notes.length > 0) file.notes = notes;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(resultPath(scenario), `${JSON.stringify(file, null, 2)}\n`);
}

/** Flattens nested figures into `section.key` rows. */
export function flatten(figures: Figures, prefix = ''): Array<[string, Figures[string]]> {
  return Object.entries(figures).flatMap(([key, value]): Array<[string, Figures[string]]> =>
    value !== null && typeof value === 'object' ? flatten(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]],
  );
}

function printFigures(title: string, figures: Figures): void {
  const rows = flatten(figures);
  const width = Math.max(...rows.map(([key]) => key.length));
  console.log(`\n${title}\n${rows.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`).join('\n')}`);
}
