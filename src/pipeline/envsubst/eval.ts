// Evaluation of envsubst's parse tree: bash-like `${...}` functions as drone/envsubst implements them
// (lengths and offsets count UTF-8 bytes like Go; unknown variables are empty).

import { parseSubstitution, SubstitutionError, type Node } from './parse.js';
import { shellPatternMatch } from './pattern.js';

export { SubstitutionError };

/** Substitutes `${...}` expressions in `text`; throws SubstitutionError on bad syntax. */
export function substitute(text: string, lookup: (name: string) => string): string {
  const tree = parseSubstitution(text);
  const out: string[] = [];
  evalNode(tree, lookup, out);
  return out.join('');
}

function evalNode(node: Node, lookup: (name: string) => string, out: string[]): void {
  switch (node.kind) {
    case 'text':
      out.push(node.value);
      return;
    case 'list':
      for (const child of node.nodes) evalNode(child, lookup, out);
      return;
    case 'func': {
      const args = node.args.map((arg) => {
        const buf: string[] = [];
        evalNode(arg, lookup, buf);
        return buf.join('');
      });
      const fn = lookupFunc(node.name, args.length);
      out.push(fn(lookup(node.param), args));
      return;
    }
  }
}

type SubstituteFunc = (s: string, args: string[]) => string;

function lookupFunc(name: string, argCount: number): SubstituteFunc {
  switch (name) {
    case ',':
      return toLowerFirst;
    case ',,':
      return (s) => s.toLowerCase();
    case '^':
      return toUpperFirst;
    case '^^':
      return (s) => s.toUpperCase();
    case '#':
      return argCount === 0 ? (s) => String(Buffer.byteLength(s)) : trimShortestPrefix;
    case '##':
      return trimLongestPrefix;
    case '%':
      return trimShortestSuffix;
    case '%%':
      return trimLongestSuffix;
    case ':':
      return toSubstr;
    case '/#':
      return replacePrefix;
    case '/%':
      return replaceSuffix;
    case '/':
      return replaceFirst;
    case '//':
      return replaceAll;
    default:
      // `=`, `:=`, `:-` and the unsupported `:?`, `:+`, `-`, `+` all behave as a default value.
      return toDefault;
  }
}

function toLowerFirst(s: string): string {
  if (s === '') return s;
  const first = String.fromCodePoint(s.codePointAt(0) ?? 0);
  return first.toLowerCase() + s.slice(first.length);
}

function toUpperFirst(s: string): string {
  if (s === '') return s;
  const first = String.fromCodePoint(s.codePointAt(0) ?? 0);
  return first.toUpperCase() + s.slice(first.length);
}

function toDefault(s: string, args: string[]): string {
  if (s.length === 0 && args.length > 0) return args.join('');
  return s;
}

function toSubstr(s: string, args: string[]): string {
  if (args.length === 0) return s;
  const bytes = Buffer.from(s, 'utf8');
  let pos = goAtoi(args[0]);
  if (pos === undefined) return s;
  if (pos < 0) pos = Math.max(0, bytes.length + pos);
  if (args.length === 1) return pos < bytes.length ? bytes.subarray(pos).toString('utf8') : '';
  const length = goAtoi(args[1]);
  if (length === undefined) return s;
  if (pos + length >= bytes.length) return pos < bytes.length ? bytes.subarray(pos).toString('utf8') : '';
  return bytes.subarray(pos, pos + length).toString('utf8');
}

function goAtoi(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

function replaceAll(s: string, args: string[]): string {
  if (args.length === 0) return s;
  return goReplace(s, args[0], args[1] ?? '', -1);
}

function replaceFirst(s: string, args: string[]): string {
  if (args.length === 0) return s;
  return goReplace(s, args[0], args[1] ?? '', 1);
}

// Go's strings.Replace: an empty `old` matches before every character (and at the end).
function goReplace(s: string, old: string, replacement: string, n: number): string {
  if (old === '') {
    const chars = Array.from(s);
    const limit = n < 0 ? chars.length + 1 : n;
    let out = '';
    let done = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (done < limit) {
        out += replacement;
        done++;
      }
      if (i < chars.length) out += chars[i];
    }
    return out;
  }
  if (n < 0) return s.split(old).join(replacement);
  const at = s.indexOf(old);
  return at < 0 ? s : s.slice(0, at) + replacement + s.slice(at + old.length);
}

function replacePrefix(s: string, args: string[]): string {
  if (args.length !== 2) return s;
  return s.startsWith(args[0]) ? goReplace(s, args[0], args[1], 1) : s;
}

function replaceSuffix(s: string, args: string[]): string {
  if (args.length !== 2) return s;
  return s.endsWith(args[0]) ? s.slice(0, s.length - args[0].length) + args[1] : s;
}

function trimShortestPrefix(s: string, args: string[]): string {
  return args.length === 0 ? s : trimShortest(s, args[0]);
}

function trimShortestSuffix(s: string, args: string[]): string {
  return args.length === 0 ? s : reverse(trimShortest(reverse(s), reverse(args[0])));
}

function trimLongestPrefix(s: string, args: string[]): string {
  return args.length === 0 ? s : trimLongest(s, args[0]);
}

function trimLongestSuffix(s: string, args: string[]): string {
  return args.length === 0 ? s : reverse(trimLongest(reverse(s), reverse(args[0])));
}

function trimShortest(s: string, pattern: string): string {
  let shortest = '';
  for (let i = 0; i < s.length; i++) {
    const candidate = s.slice(0, s.length - i);
    const matched = shellPatternMatch(pattern, candidate);
    if (matched === undefined) return s;
    if (matched) shortest = candidate;
  }
  return shortest !== '' && s.startsWith(shortest) ? s.slice(shortest.length) : s;
}

function trimLongest(s: string, pattern: string): string {
  for (let i = 0; i < s.length; i++) {
    const candidate = s.slice(0, s.length - i);
    const matched = shellPatternMatch(pattern, candidate);
    if (matched === undefined) return s;
    if (matched) return s.slice(candidate.length);
  }
  return s;
}

function reverse(s: string): string {
  return Array.from(s).reverse().join('');
}
