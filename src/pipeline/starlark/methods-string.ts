// The methods of str. Strings are UTF-8 byte strings (see values.ts): positions are byte offsets, and the
// Unicode-aware methods decode runes where the string is not plain ASCII.

import { noKwargs, unpackArgs } from './arguments.js';
import { formatBraces, quote } from './format.js';
import { sliceIndices, toArray } from './ops.js';
import { decodeUtf8, encodeRune, encodeUtf8, isAscii, runes } from './utf8.js';
import { HostIterable, isInt, List, StarlarkError, Tuple, typeName, type BuiltinCall, type Value } from './values.js';
import type { MethodTable } from './methods-containers.js';

function asString(v: Value, what: string): string {
  if (typeof v !== 'string') throw new StarlarkError(`${what}: got ${typeName(v)}, want string`);
  return v;
}

/** The [start, end) byte range selected by optional start/end arguments, clamped as slices are. */
function range(s: string, start: Value | undefined, end: Value | undefined): [number, number] {
  const r = sliceIndices(s.length, start ?? null, end ?? null, null);
  return [r.start, Math.max(r.start, r.stop)];
}

function mapRunes(s: string, f: (text: string) => string): string {
  return isAscii(s) ? f(s) : encodeUtf8(f(decodeUtf8(s)));
}

/** Go's unicode.ToUpper/ToLower keep one rune per rune; JS may expand (ß → SS), so map rune by rune. */
function caseRunes(s: string, upper: boolean): string {
  if (isAscii(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of decodeUtf8(s)) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += [...m].length === 1 ? m : ch;
  }
  return encodeUtf8(out);
}

function testRunes(s: string, re: RegExp): boolean {
  if (s.length === 0) return false;
  return [...decodeUtf8(s)].every((ch) => re.test(ch));
}

function findIn(name: string, call: BuiltinCall, s: string, last: boolean): number {
  const [sub, start, end] = unpackArgs(name, call.args, call.kwargs, ['sub', 'start?', 'end?']);
  const needle = asString(sub!, name);
  const [lo, hi] = range(s, start === null ? undefined : start, end === null ? undefined : end);
  const hay = s.slice(lo, hi);
  const k = last ? hay.lastIndexOf(needle) : hay.indexOf(needle);
  return k < 0 ? -1 : k + lo;
}

function stripChars(s: string, chars: Value | undefined, left: boolean, right: boolean): string {
  let set: Set<string> | undefined;
  // An empty cutset strips whitespace, like no cutset (as starlark-go does).
  if (chars !== undefined && chars !== null && asString(chars, 'strip') !== '') set = new Set([...decodeUtf8(chars as string)]);
  const isStripped = (ch: string) => (set ? set.has(ch) : /\s/.test(ch));
  const text = [...decodeUtf8(s)];
  let i = 0;
  let j = text.length;
  if (left) while (i < j && isStripped(text[i])) i++;
  if (right) while (j > i && isStripped(text[j - 1])) j--;
  return isAscii(s) ? s.slice(i, j) : encodeUtf8(text.slice(i, j).join(''));
}

function split(name: string, s: string, call: BuiltinCall, fromRight: boolean): Value {
  const [sepArg, maxArg] = unpackArgs(name, call.args, call.kwargs, ['sep?', 'maxsplit?']);
  const max = maxArg === undefined || maxArg === null ? -1 : Number(maxArg);
  if (sepArg === undefined || sepArg === null) {
    if (max < 0) return new List(s.split(/[ \t\n\v\f\r]+/).filter((w) => w !== ''));
    return new List(splitWhitespaceLimited(s, max, fromRight));
  }
  const sep = asString(sepArg, name);
  if (sep === '') throw new StarlarkError(`${name}: empty separator`);
  const parts = s.split(sep);
  if (max < 0 || parts.length <= max + 1) return new List(parts);
  if (fromRight) return new List([parts.slice(0, parts.length - max).join(sep), ...parts.slice(parts.length - max)]);
  return new List([...parts.slice(0, max), parts.slice(max).join(sep)]);
}

function splitWhitespaceLimited(s: string, max: number, fromRight: boolean): string[] {
  const out: string[] = [];
  if (fromRight) {
    let rest = s.replace(/[ \t\n\v\f\r]+$/, '');
    while (out.length < max) {
      const m = /[ \t\n\v\f\r]+(\S+)$/.exec(rest);
      if (!m) break;
      out.unshift(m[1]);
      rest = rest.slice(0, m.index);
    }
    if (/\S/.test(rest)) out.unshift(rest);
    return out;
  }
  let rest = s.replace(/^[ \t\n\v\f\r]+/, '');
  while (out.length < max) {
    const m = /^(\S+)[ \t\n\v\f\r]+/.exec(rest);
    if (!m) break;
    out.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  if (/\S/.test(rest)) out.push(rest);
  return out;
}

function affix(name: string, s: string, call: BuiltinCall, atEnd: boolean): boolean {
  const [x, start, end] = unpackArgs(name, call.args, call.kwargs, ['x', 'start?', 'end?']);
  const [lo, hi] = range(s, start === null ? undefined : start, end === null ? undefined : end);
  const sub = s.slice(lo, hi);
  const candidates = x instanceof Tuple ? x.elems : [x!];
  return candidates.some((c, i) => {
    if (typeof c !== 'string') throw new StarlarkError(x instanceof Tuple ? `${name}: got ${typeName(c)}, for element ${i}` : `${name}: got ${typeName(c)}, want string`);
    return atEnd ? sub.endsWith(c) : sub.startsWith(c);
  });
}

function partition(name: string, s: string, call: BuiltinCall, last: boolean): Value {
  noKwargs(name, call.kwargs);
  const sep = asString(call.args[0] ?? null, name);
  if (sep === '') throw new StarlarkError(`${name}: empty separator`);
  const k = last ? s.lastIndexOf(sep) : s.indexOf(sep);
  if (k < 0) return new Tuple(last ? ['', '', s] : [s, '', '']);
  return new Tuple([s.slice(0, k), sep, s.slice(k + sep.length)]);
}

function elemsIterable(s: string, kind: 'elems' | 'elem_ords' | 'codepoints' | 'codepoint_ords'): HostIterable {
  const display = `${quote(s)}.${kind}()`;
  if (kind === 'elems' || kind === 'elem_ords') {
    const elems: Value[] = Array.from(s, (ch) => (kind === 'elems' ? ch : ch.charCodeAt(0)));
    return new HostIterable('string.elems', () => elems[Symbol.iterator](), display, elems);
  }
  return new HostIterable('string.codepoints', function* () {
    for (const r of runes(s)) yield kind === 'codepoint_ords' ? r.rune : r.rune === 0xfffd ? encodeRune(0xfffd) : s.slice(r.start, r.start + r.size);
  }, display);
}

/** Letters whose title case differs from their upper case (Go's unicode.ToTitle): the DŽ, LJ, NJ, DZ digraphs. */
const TITLE_FORMS: Record<string, string> = {
  '\u01c4': '\u01c5', '\u01c5': '\u01c5', '\u01c6': '\u01c5',
  '\u01c7': '\u01c8', '\u01c8': '\u01c8', '\u01c9': '\u01c8',
  '\u01ca': '\u01cb', '\u01cb': '\u01cb', '\u01cc': '\u01cb',
  '\u01f1': '\u01f2', '\u01f2': '\u01f2', '\u01f3': '\u01f2',
};

function toTitle(ch: string): string {
  return TITLE_FORMS[ch] ?? ch.toUpperCase();
}

function titleCase(text: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of text) {
    const cased = /\p{L}/u.test(ch);
    out += cased ? (prevCased ? ch.toLowerCase() : toTitle(ch)) : ch;
    prevCased = cased;
  }
  return out;
}

/** starlark-go's istitle: only ASCII capitals and titlecase letters may start a word; other capitals fail. */
function isTitle(text: string): boolean {
  let prevCased = false;
  let cased = false;
  for (const ch of text) {
    if ((ch >= 'A' && ch <= 'Z') || /\p{Lt}/u.test(ch)) {
      if (prevCased) return false;
      prevCased = cased = true;
    } else if (/\p{Ll}/u.test(ch)) {
      if (!prevCased) return false;
      prevCased = cased = true;
    } else if (/\p{Lu}/u.test(ch)) {
      return false;
    } else prevCased = false;
  }
  return cased;
}

type StringMethod = (s: string, call: BuiltinCall) => Value;

const methods: Record<string, StringMethod> = {
  capitalize: (s) => {
    const text = decodeUtf8(s);
    const [first = '', ...rest] = [...text];
    return encodeUtf8(toTitle(first) + rest.join('').toLowerCase());
  },
  count: (s, call) => {
    const [sub, start, end] = unpackArgs('count', call.args, call.kwargs, ['sub', 'start?', 'end?']);
    const needle = asString(sub!, 'count');
    const [lo, hi] = range(s, start === null ? undefined : start, end === null ? undefined : end);
    const hay = s.slice(lo, hi);
    if (needle === '') return hay.length + 1;
    return hay.split(needle).length - 1;
  },
  elems: (s) => elemsIterable(s, 'elems'),
  elem_ords: (s) => elemsIterable(s, 'elem_ords'),
  codepoints: (s) => elemsIterable(s, 'codepoints'),
  codepoint_ords: (s) => elemsIterable(s, 'codepoint_ords'),
  endswith: (s, call) => affix('endswith', s, call, true),
  startswith: (s, call) => affix('startswith', s, call, false),
  find: (s, call) => findIn('find', call, s, false),
  rfind: (s, call) => findIn('rfind', call, s, true),
  index: (s, call) => {
    const k = findIn('index', call, s, false);
    if (k < 0) throw new StarlarkError('index: substring not found');
    return k;
  },
  rindex: (s, call) => {
    const k = findIn('rindex', call, s, true);
    if (k < 0) throw new StarlarkError('rindex: substring not found');
    return k;
  },
  format: (s, call) => formatBraces(s, call.args, call.kwargs),
  isalnum: (s) => testRunes(s, /[\p{L}\p{N}]/u),
  isalpha: (s) => testRunes(s, /\p{L}/u),
  isdigit: (s) => testRunes(s, /\p{Nd}/u),
  isspace: (s) => testRunes(s, /\s/u),
  islower: (s) => {
    const t = decodeUtf8(s);
    return /\p{Ll}/u.test(t) && !/\p{Lu}|\p{Lt}/u.test(t);
  },
  isupper: (s) => {
    const t = decodeUtf8(s);
    return /\p{Lu}/u.test(t) && !/\p{Ll}/u.test(t);
  },
  istitle: (s) => isTitle(decodeUtf8(s)),
  join: (s, call) => {
    noKwargs('join', call.kwargs);
    if (call.args.length !== 1) throw new StarlarkError(`join: got ${call.args.length} arguments, want 1`);
    const items = toArray(call.args[0], 'join');
    for (const x of items) if (typeof x !== 'string') throw new StarlarkError(`join: in list, want string, got ${typeName(x)}`);
    return items.join(s);
  },
  lower: (s) => caseRunes(s, false),
  upper: (s) => caseRunes(s, true),
  title: (s) => mapRunes(s, titleCase),
  lstrip: (s, call) => stripChars(s, call.args[0], true, false),
  rstrip: (s, call) => stripChars(s, call.args[0], false, true),
  strip: (s, call) => stripChars(s, call.args[0], true, true),
  partition: (s, call) => partition('partition', s, call, false),
  rpartition: (s, call) => partition('rpartition', s, call, true),
  removeprefix: (s, call) => {
    const p = asString(call.args[0] ?? null, 'removeprefix');
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s, call) => {
    const p = asString(call.args[0] ?? null, 'removesuffix');
    return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  },
  replace: (s, call) => {
    const [oldArg, newArg, countArg] = unpackArgs('replace', call.args, call.kwargs, ['old', 'new', 'count?']);
    const from = asString(oldArg!, 'replace');
    const to = asString(newArg!, 'replace');
    let count = countArg === undefined || countArg === null ? -1 : Number(countArg);
    if (countArg !== undefined && countArg !== null && !isInt(countArg)) throw new StarlarkError(`replace: for parameter count: got ${typeName(countArg)}, want int`);
    if (count < 0) count = Infinity;
    let out = '';
    let i = 0;
    let done = 0;
    if (from === '') {
      // Go inserts `to` before every rune (here: byte position of each rune) and at the end.
      const positions = [...runes(s)].map((r) => r.start).concat([s.length]);
      for (const p of positions) {
        if (done >= count) break;
        out += s.slice(i, p) + to;
        i = p;
        done++;
      }
      return out + s.slice(i);
    }
    while (done < count) {
      const k = s.indexOf(from, i);
      if (k < 0) break;
      out += s.slice(i, k) + to;
      i = k + from.length;
      done++;
    }
    return out + s.slice(i);
  },
  split: (s, call) => split('split', s, call, false),
  rsplit: (s, call) => split('rsplit', s, call, true),
  splitlines: (s, call) => {
    const [keep] = unpackArgs('splitlines', call.args, call.kwargs, ['keepends?']);
    if (keep !== undefined && typeof keep !== 'boolean') throw new StarlarkError(`splitlines: for parameter keepends: got ${typeName(keep)}, want bool`);
    const lines: string[] = [];
    const re = /\r\n|\n|\r/g;
    let i = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      lines.push(s.slice(i, keep === true ? m.index + m[0].length : m.index));
      i = m.index + m[0].length;
    }
    if (i < s.length) lines.push(s.slice(i));
    return new List(lines);
  },
};

export const STRING_METHODS: MethodTable = new Map(Object.entries(methods).map(([name, m]) => [name, (recv: Value, call: BuiltinCall) => m(recv as string, call)]));
