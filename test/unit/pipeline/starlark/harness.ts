// starlark-go's chunked-file test harness (starlarktest + eval_test.go), for the conformance data in
// ../shared/conformance/starlark: each `---` chunk runs as its own module, `### "regexp"` marks the line expected
// to fail, and error()/catch()/matches()/module()/_freeze() are predeclared for assert.star.

import { readFileSync } from 'node:fs';
import { EvalError } from '../../../../src/pipeline/starlark/eval.js';
import { execFile } from '../../../../src/pipeline/starlark/interpreter.js';
import { StarlarkSyntaxError } from '../../../../src/pipeline/starlark/lexer.js';
import { STRUCT_BUILTIN } from '../../../../src/pipeline/starlark/struct.js';
import { decodeUtf8, encodeUtf8 } from '../../../../src/pipeline/starlark/utf8.js';
import { Builtin, freezeValue, HostIterable, HostObject, Module, StarlarkError, type Value } from '../../../../src/pipeline/starlark/values.js';
import type { ResolveOptions } from '../../../../src/pipeline/starlark/resolver.js';

export const CONFORMANCE = new URL('../../../../../shared/conformance/starlark/', import.meta.url);

export interface Chunk {
  file: string;
  index: number;
  /** 1-based line of the chunk's first line in the file. */
  firstLine: number;
  source: string;
  options: ResolveOptions;
  /** Expected error patterns by line (within the chunk, 1-based). */
  expected: Map<number, RegExp>;
}

/**
 * Reads a file's chunks. `omitLines` (1-based) are blanked out: single assertions of a known, listed deviation,
 * so the rest of their chunk still runs.
 */
export function readChunks(file: string, omitLines: ReadonlySet<number> = new Set()): Chunk[] {
  const text = readFileSync(new URL(`testdata/${file}`, CONFORMANCE), 'utf8');
  const lines = text.split('\n').map((line, i) => (omitLines.has(i + 1) ? '' : line));
  const chunks: Chunk[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || lines[i] === '---') {
      // Keep line numbers: pad the chunk with the blank lines that precede it.
      const body = lines.slice(start, i);
      const source = '\n'.repeat(start) + body.join('\n') + '\n';
      chunks.push({ file, index: chunks.length, firstLine: start + 1, source, options: optionsOf(body), expected: expectations(body, start) });
      start = i + 1;
    }
  }
  return chunks;
}

function optionsOf(lines: string[]): ResolveOptions {
  const text = lines.join('\n');
  return {
    recursion: text.includes('option:recursion'),
    set: text.includes('option:set'),
    globalReassign: text.includes('option:globalreassign'),
    loadBindsGlobally: text.includes('option:loadbindsglobally'),
  };
}

function expectations(lines: string[], offset: number): Map<number, RegExp> {
  const out = new Map<number, RegExp>();
  lines.forEach((line, i) => {
    const m = /###\s*("(?:[^"\\]|\\.)*"|`[^`]*`)/.exec(line);
    if (!m) return;
    const literal = m[1];
    const pattern = literal.startsWith('`') ? literal.slice(1, -1) : (JSON.parse(literal) as string);
    out.set(offset + i + 1, new RegExp(pattern));
  });
  return out;
}

export interface ChunkOutcome {
  /** Failures reported by error() or by an unexpected/mismatched error. */
  failures: string[];
}

function fibonacci(): HostIterable {
  return new HostIterable('fibonacci', function* () {
    let a = 0;
    let b = 1;
    for (;;) {
      yield a;
      [a, b] = [b, a + b];
    }
  });
}

function builtin(name: string, impl: (args: Value[], kwargs: Array<[string, Value]>, call: (f: Value) => Value) => Value): Builtin {
  return new Builtin(name, ({ args, kwargs, thread }) => impl(args, kwargs, (f) => thread.call(f, [], [])));
}

function errorMessage(err: unknown): string {
  if (err instanceof EvalError) return err.msg;
  if (err instanceof StarlarkSyntaxError) return err.msg;
  if (err instanceof StarlarkError) return err.message;
  throw err;
}

function errorLine(err: unknown): number | undefined {
  if (err instanceof EvalError) return err.frames[err.frames.length - 1]?.pos.line;
  if (err instanceof StarlarkSyntaxError) return err.pos.line;
  return undefined;
}

export function runChunk(chunk: Chunk): ChunkOutcome {
  const failures: string[] = [];
  const predeclared = new Map<string, Value>([
    ['error', builtin('error', (args) => {
      failures.push(decodeUtf8(String(args[0])));
      return null;
    })],
    ['catch', builtin('catch', (args, _kw, call) => {
      try {
        call(args[0]);
        return null;
      } catch (err) {
        return encodeUtf8(errorMessage(err));
      }
    })],
    ['matches', builtin('matches', (args) => new RegExp(decodeUtf8(String(args[0]))).test(decodeUtf8(String(args[1]))))],
    ['module', builtin('module', (args, kwargs) => new Module(String(args[0]), new Map(kwargs)))],
    ['_freeze', builtin('freeze', (args) => {
      freezeValue(args[0]);
      return args[0];
    })],
    ['struct', STRUCT_BUILTIN],
    ['fibonacci', fibonacci()],
    // eval_test.go's hasfields: settable fields (not named no…), and `list + hasfields` is 42.
    ['hasfields', builtin('hasfields', () => new HostObject('hasfields', (op) => (op === '+' ? 42 : undefined), (name) => name.startsWith('no')))],
  ]);
  const load = (module: string): ReadonlyMap<string, Value> => {
    if (module !== 'assert.star') throw new StarlarkError(`cannot load ${module}: no such module`);
    const src = readFileSync(new URL('assert.star', CONFORMANCE), 'utf8');
    return execFile('assert.star', src, { predeclared, load }).globals;
  };
  try {
    execFile(chunk.file, chunk.source, { ...chunk.options, predeclared, load, maxSteps: 10_000_000 });
    for (const [line, re] of chunk.expected) failures.push(`line ${line}: expected error matching ${re}, but the chunk ran without error`);
  } catch (err) {
    const msg = errorMessage(err);
    const line = errorLine(err);
    const want = line === undefined ? undefined : chunk.expected.get(line);
    if (!want) failures.push(`unexpected error at line ${line}: ${decodeUtf8(msg)}`);
    else if (!want.test(decodeUtf8(msg))) failures.push(`line ${line}: error ${JSON.stringify(msg)} does not match ${want}`);
  }
  return { failures };
}
