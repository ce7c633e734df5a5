// The subset of Go's text/template that `--format` needs, so drone CLI format strings work unchanged:
// `{{ .Field }}`, nested `{{ .Build.Number }}`, `{{ . }}`, pipes (`{{ .Next | time }}`), `if`/`else if`/`else`/`end`,
// `range`/`end`, trim markers (`{{-`, `-}}`), string and number literals, and the functions in FUNCTIONS.
// Field names are the drone-go struct names (`.AuthorEmail`, `.HTTPURL`) resolved against the server's JSON.

import { UsageError } from './exit-codes.js';
import { lookupField } from './go-fields.js';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'print'; pipe: Pipe }
  | { kind: 'if'; pipe: Pipe; then: Node[]; otherwise: Node[] }
  | { kind: 'range'; pipe: Pipe; body: Node[]; otherwise: Node[] };

/** Commands joined by `|`: each command's result is the last argument of the next. */
type Pipe = Term[][];
type Term = { kind: 'field'; path: string[] } | { kind: 'literal'; value: unknown } | { kind: 'function'; name: string };

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  time: (value) => formatUnixTime(Number(value)),
  upper: (value) => toText(value).toUpperCase(),
  lower: (value) => toText(value).toLowerCase(),
  json: (value) => JSON.stringify(value ?? null),
  len: (value) => (Array.isArray(value) || typeof value === 'string' ? value.length : value && typeof value === 'object' ? Object.keys(value).length : 0),
  not: (value) => !truthy(value),
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
};

export interface GoTemplate {
  render(data: unknown): string;
}

/** Parses a template; `\n` and `\t` written as two characters (as a shell passes them) become newline and tab. */
export function parseGoTemplate(source: string): GoTemplate {
  const tokens = tokenize(source.replace(/\\n/g, '\n').replace(/\\t/g, '\t'));
  const { nodes, stoppedAt } = parseNodes(tokens, 0);
  if (stoppedAt < tokens.length) throw new UsageError(`invalid --format: unexpected {{${tokens[stoppedAt].text}}}`);
  return { render: (data) => renderNodes(nodes, data) };
}

type Token = { kind: 'text' | 'action'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let rest = source;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      tokens.push({ kind: 'text', text: rest });
      break;
    }
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) throw new UsageError('invalid --format: unclosed {{');
    let text = rest.slice(0, open);
    let action = rest.slice(open + 2, close);
    if (action.startsWith('- ') || action === '-') {
      text = text.trimEnd();
      action = action.slice(1);
    }
    let trimAfter = false;
    if (action.endsWith(' -')) {
      trimAfter = true;
      action = action.slice(0, -1);
    }
    if (text) tokens.push({ kind: 'text', text });
    tokens.push({ kind: 'action', text: action.trim() });
    rest = rest.slice(close + 2);
    if (trimAfter) rest = rest.trimStart();
  }
  return tokens;
}

/** Parses until `end`/`else` (returned as stoppedAt) or the end of the tokens. */
function parseNodes(tokens: Token[], start: number): { nodes: Node[]; stoppedAt: number } {
  const nodes: Node[] = [];
  let index = start;
  while (index < tokens.length) {
    const token = tokens[index];
    if (token.kind === 'text') {
      nodes.push({ kind: 'text', text: token.text });
      index += 1;
      continue;
    }
    const [keyword] = token.text.split(/\s+/, 1);
    if (keyword === 'end' || keyword === 'else') return { nodes, stoppedAt: index };
    if (keyword === 'if' || keyword === 'range') {
      const block = parseBlock(tokens, index);
      nodes.push(keyword === 'if' ? { kind: 'if', pipe: block.pipe, then: block.body, otherwise: block.otherwise } : { kind: 'range', ...block });
      index = block.next;
      continue;
    }
    nodes.push({ kind: 'print', pipe: parsePipe(token.text) });
    index += 1;
  }
  return { nodes, stoppedAt: index };
}

/** `if`/`range` … [`else` …] `end`; an `else if` is an `if` nested in the else branch, sharing the `end`. */
function parseBlock(tokens: Token[], start: number): { pipe: Pipe; body: Node[]; otherwise: Node[]; next: number } {
  const pipe = parsePipe(tokens[start].text.replace(/^(else\s+)?(if|range)\s*/, ''));
  const body = parseNodes(tokens, start + 1);
  let otherwise: Node[] = [];
  let stop = body.stoppedAt;
  if (/^else\s+if\s/.test(tokens[stop]?.text ?? '')) {
    const nested = parseBlock(tokens, stop);
    return { pipe, body: body.nodes, otherwise: [{ kind: 'if', pipe: nested.pipe, then: nested.body, otherwise: nested.otherwise }], next: nested.next };
  }
  if (tokens[stop]?.text === 'else') {
    const rest = parseNodes(tokens, stop + 1);
    otherwise = rest.nodes;
    stop = rest.stoppedAt;
  }
  if (tokens[stop]?.text !== 'end') throw new UsageError(`invalid --format: {{${tokens[start].text}}} has no {{end}}`);
  return { pipe, body: body.nodes, otherwise, next: stop + 1 };
}

function parsePipe(text: string): Pipe {
  if (!text) throw new UsageError('invalid --format: empty {{ }}');
  const pipe = splitOutsideQuotes(text, '|').map((command) => splitOutsideQuotes(command.trim(), ' ').filter(Boolean).map(parseTerm));
  pipe.forEach((command, index) => {
    if (command.length === 0) throw new UsageError(`invalid --format: empty command in {{${text}}}`);
    const takesArguments = command.length > 1 || index > 0;
    if (takesArguments && command[0].kind !== 'function') throw new UsageError(`invalid --format: only a function can take arguments, in {{${text}}}`);
  });
  return pipe;
}

function parseTerm(word: string): Term {
  if (word === '.') return { kind: 'field', path: [] };
  if (word.startsWith('.')) return { kind: 'field', path: word.slice(1).split('.') };
  if (word.startsWith('"')) return { kind: 'literal', value: JSON.parse(word) as string };
  if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true' };
  if (/^-?\d+(\.\d+)?$/.test(word)) return { kind: 'literal', value: Number(word) };
  if (word in FUNCTIONS) return { kind: 'function', name: word };
  throw new UsageError(`invalid --format: unknown function "${word}" (known: ${Object.keys(FUNCTIONS).join(', ')})`);
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

function renderNodes(nodes: Node[], data: unknown): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'print') out += toText(evaluatePipe(node.pipe, data));
    else if (node.kind === 'if') out += renderNodes(truthy(evaluatePipe(node.pipe, data)) ? node.then : node.otherwise, data);
    else out += renderRange(node, data);
  }
  return out;
}

function renderRange(node: Extract<Node, { kind: 'range' }>, data: unknown): string {
  const value = evaluatePipe(node.pipe, data);
  const items = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
  if (items.length === 0) return renderNodes(node.otherwise, data);
  return items.map((item) => renderNodes(node.body, item)).join('');
}

function evaluatePipe(pipe: Pipe, data: unknown): unknown {
  let previous: unknown[] = [];
  for (const command of pipe) {
    const [head, ...rest] = command;
    const args = [...rest.map((term) => evaluateTerm(term, data)), ...previous];
    previous = [head.kind === 'function' ? FUNCTIONS[head.name](...args) : evaluateTerm(head, data)];
  }
  return previous[0];
}

function evaluateTerm(term: Term, data: unknown): unknown {
  if (term.kind === 'literal') return term.value;
  if (term.kind === 'function') return FUNCTIONS[term.name]();
  return term.path.reduce<unknown>((value, name) => lookupField(value, name), data);
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Unix seconds as Go prints a UTC time.Time: `2018-09-17 22:05:15 +0000 UTC`. */
export function formatUnixTime(seconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}
