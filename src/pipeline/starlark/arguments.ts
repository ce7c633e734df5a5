// Binding call arguments to parameters: of a Starlark function (into its local slots), and of a builtin
// (by a declared parameter list, e.g. ["x", "base?"]), with starlark-go's error messages.

import { Dict, StarlarkError, Tuple, type StarFunction, type Value } from './values.js';

export function bindArguments(fn: StarFunction, args: Value[], kwargs: Array<[string, Value]>, slots: Array<Value | undefined>): void {
  const params = fn.code.params;
  const name = fn.name;
  let positionalCount = 0;
  let starIndex = -1;
  let kwargsSlot = -1;
  const names: string[] = [];
  for (const p of params) {
    if (p.kind === 'star') {
      starIndex = names.length;
      if (p.name) names.push(p.name.name);
      continue;
    }
    if (p.kind === 'starstar') {
      kwargsSlot = names.length;
      names.push(p.name.name);
      continue;
    }
    if (starIndex < 0) positionalCount++;
    names.push(p.name.name);
  }
  const hasVarargs = params.some((p) => p.kind === 'star' && p.name);
  const varargsSlot = hasVarargs ? starIndex : -1;

  if (args.length > positionalCount && !hasVarargs) {
    throw new StarlarkError(
      `function ${name} accepts ${positionalCount === 0 ? 'no' : `at most ${positionalCount}`} positional argument${positionalCount === 1 ? '' : 's'} (${args.length} given)`,
    );
  }
  const n = Math.min(args.length, positionalCount);
  for (let i = 0; i < n; i++) slots[i] = args[i];
  if (varargsSlot >= 0) slots[varargsSlot] = new Tuple(args.slice(n));

  const extra = kwargsSlot >= 0 ? new Dict() : undefined;
  for (const [k, v] of kwargs) {
    const i = names.indexOf(k);
    if (i < 0 || i === varargsSlot || i === kwargsSlot) {
      if (!extra) throw new StarlarkError(`function ${name} got an unexpected keyword argument "${k}"${suggest(k, names)}`);
      if (extra.has(k)) throw new StarlarkError(`function ${name} got multiple values for parameter "${k}"`);
      extra.set(k, v);
      continue;
    }
    if (slots[i] !== undefined) throw new StarlarkError(`function ${name} got multiple values for parameter "${k}"`);
    slots[i] = v;
  }
  if (extra) slots[kwargsSlot] = extra;

  // defaults, and the missing ones
  let d = 0;
  const missing: string[] = [];
  let slot = 0;
  for (const p of params) {
    if (p.kind === 'star') {
      if (p.name) slot++;
      continue;
    }
    if (p.kind === 'starstar') {
      slot++;
      continue;
    }
    if (p.kind === 'optional') {
      if (slots[slot] === undefined) slots[slot] = fn.defaults[d];
      d++;
    } else if (slots[slot] === undefined) missing.push(p.name.name);
    slot++;
  }
  if (missing.length > 0) {
    const kwOnly = missing.filter((m) => names.indexOf(m) > starIndex && starIndex >= 0);
    const what = kwOnly.length === missing.length ? 'keyword-only argument' : 'argument';
    throw new StarlarkError(`function ${name} missing ${missing.length} ${what}${missing.length === 1 ? '' : 's'} (${missing.join(', ')})`);
  }
}

/** A " (did you mean x?)" hint, as starlark-go's spell.Nearest finds it: case and underscores ignored, < 50% edits. */
export function suggest(name: string, candidates: Iterable<string>): string {
  const fold = (s: string) => s.replace(/_/g, '').toLowerCase();
  const x = fold(name);
  let best: string | undefined;
  let bestDist = Math.floor((x.length + 1) / 2);
  for (const c of candidates) {
    const d = levenshtein(x, fold(c));
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best !== undefined ? ` (did you mean ${best}?)` : '';
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/**
 * Unpacks a builtin's arguments by parameter spec: "name" required, "name?" optional, "*name" keyword-only
 * not supported. Returns the values in spec order (undefined when an optional one was not given).
 */
export function unpackArgs(fnName: string, args: Value[], kwargs: Array<[string, Value]>, spec: string[]): Array<Value | undefined> {
  const names = spec.map((s) => s.replace('?', ''));
  if (args.length > spec.length) {
    throw new StarlarkError(`${fnName}: got ${args.length} arguments, want at most ${spec.length}`);
  }
  const out: Array<Value | undefined> = new Array(spec.length);
  for (let i = 0; i < args.length; i++) out[i] = args[i];
  for (const [k, v] of kwargs) {
    const i = names.indexOf(k);
    if (i < 0) throw new StarlarkError(`${fnName}: unexpected keyword argument ${k}${suggest(k, names)}`);
    if (out[i] !== undefined) throw new StarlarkError(`${fnName}: got multiple values for keyword argument ${k}`);
    out[i] = v;
  }
  for (let i = 0; i < spec.length; i++) {
    if (out[i] === undefined && !spec[i].endsWith('?')) throw new StarlarkError(`${fnName}: missing argument for ${names[i]}`);
  }
  return out;
}

export function noKwargs(fnName: string, kwargs: Array<[string, Value]>): void {
  if (kwargs.length > 0) throw new StarlarkError(`${fnName}: unexpected keyword arguments`);
}
