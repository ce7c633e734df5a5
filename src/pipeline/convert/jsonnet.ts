// `.drone.jsonnet` → YAML, as Drone's server converts it: the file is evaluated with the build.* / repo.*
// external variables, as a stream of documents (a top-level array) or else as one document, and every
// document is written out as `---` + its JSON (JSON is YAML).
//
// Unlike Drone we refuse `import`, `importstr` and `importbin`: the Jsonnet binding reads imports from the
// server's own file system, which a repository's configuration must not reach.

import { Jsonnet } from '@hanazuki/node-jsonnet';

export type ConversionResult = { ok: true; yaml: string } | { ok: false; error: string };

const MAX_STACK = 500;

export async function convertJsonnet(source: string, filename: string, vars: Record<string, string>): Promise<ConversionResult> {
  const importAt = findImport(source);
  if (importAt !== undefined) {
    return { ok: false, error: `${filename}:${importAt.line}:${importAt.column}: jsonnet imports are not allowed in a repository configuration` };
  }
  const vm = () => {
    const jsonnet = new Jsonnet().setMaxStack(MAX_STACK).setMaxTrace(20);
    for (const [key, value] of Object.entries(vars)) jsonnet.extString(key, value);
    return jsonnet;
  };
  let docs: string[];
  try {
    docs = await vm().evaluateSnippetStream(source, filename);
  } catch (streamError) {
    try {
      docs = [await vm().evaluateSnippet(source, filename)];
    } catch (singleError) {
      const chosen = isStreamShapeError(streamError) ? singleError : streamError;
      return { ok: false, error: messageOf(chosen) };
    }
  }
  return { ok: true, yaml: docs.map((doc) => '---\n' + doc).join('') };
}

function isStreamShapeError(err: unknown): boolean {
  return /stream mode/i.test(messageOf(err));
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.trim();
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
