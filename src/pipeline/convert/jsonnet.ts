// `.drone.jsonnet` → YAML, as Drone's server converts it: the file is evaluated with the build.* / repo.*
// external variables, as a stream of documents (a top-level array) or else as one document, and every
// document is written out as `---` + its JSON (JSON is YAML).
//
// Unlike Drone we refuse `import`, `importstr` and `importbin`: the Jsonnet binding reads imports from the
// server's own file system, which a repository's configuration must not reach. And unlike Drone, a file
// that never ends or eats memory is stopped (jsonnet-process.ts).

import { evaluateJsonnet, type JsonnetLimits, DEFAULT_JSONNET_LIMITS } from './jsonnet-process.js';

export type ConversionResult = { ok: true; yaml: string } | { ok: false; error: string };

const MAX_STACK = 500;

export async function convertJsonnet(
  source: string,
  filename: string,
  vars: Record<string, string>,
  limits: JsonnetLimits = DEFAULT_JSONNET_LIMITS,
): Promise<ConversionResult> {
  const importAt = findImport(source);
  if (importAt !== undefined) {
    return { ok: false, error: `${filename}:${importAt.line}:${importAt.column}: jsonnet imports are not allowed in a repository configuration` };
  }
  const request = { source, filename, vars, maxStack: MAX_STACK };
  let outcome = await evaluateJsonnet({ ...request, stream: true }, limits);
  // Not a top-level array: one document. The stream's error stands when the file is wrong either way.
  if (!outcome.ok && /stream mode/i.test(outcome.error)) outcome = await evaluateJsonnet({ ...request, stream: false }, limits);
  if (!outcome.ok) return outcome;
  return { ok: true, yaml: outcome.docs.map((doc) => '---\n' + doc).join('') };
}

/** Position of the first import keyword outside strings and comments, if any. */
export function findImport(source: string): { line: number; column: number } | undefined {
  let line = 1;
  let column = 1;
  let i = 0;
  const advance = (n: number) => {
    for (let k = 0; k < n && i < source.length; k++, i++) {
      if (source[i] === '\n') {
        line++;
        column = 1;
      } else column++;
    }
  };
  while (i < source.length) {
    const rest = source.slice(i, i + 3);
    const ch = source[i];
    if (ch === '#' || rest.startsWith('//')) {
      while (i < source.length && source[i] !== '\n') advance(1);
    } else if (rest.startsWith('/*')) {
      advance(2);
      while (i < source.length && !source.startsWith('*/', i)) advance(1);
      advance(2);
    } else if (rest === '|||') {
      advance(3);
      while (i < source.length && !source.startsWith('|||', i)) advance(1);
      advance(3);
    } else if (ch === '"' || ch === "'") {
      const verbatim = i > 0 && source[i - 1] === '@';
      advance(1);
      while (i < source.length && source[i] !== ch) advance(!verbatim && source[i] === '\\' ? 2 : 1);
      advance(1);
    } else if (/[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 64))?.[0] ?? ch;
      if (word === 'import' || word === 'importstr' || word === 'importbin') return { line, column };
      advance(word.length);
    } else {
      advance(1);
    }
  }
  return undefined;
}
