// str(), repr(), the `%` operator and str.format, with starlark-go's output (Go-style quoting, float text).

import { goFormatFloat } from '../internal/go-format.js';
import { floatToInt, intToFloat } from './ints.js';
import { registerFormatting } from './ops.js';
import { decodeRuneAt, encodeRune } from './utf8.js';
import {
  Builtin, Bytes, Dict, Float, HostIterable, HostObject, isInt, List, Module, RangeValue, StarFunction, StarlarkError, StarSet, Struct, Tuple, typeName, type Value,
} from './values.js';

export function str(v: Value): string {
  return typeof v === 'string' ? v : repr(v);
}

/** `path` holds the containers being printed, so a cycle prints as [...] or {...}. */
export function repr(v: Value, path: object[] = []): string {
  if (path.length > 64) throw new StarlarkError('maximum recursion depth exceeded in repr');
  if (v === null) return 'None';
  switch (typeof v) {
    case 'boolean':
      return v ? 'True' : 'False';
    case 'number':
    case 'bigint':
      return v.toString();
    case 'string':
      return quote(v);
  }
  if (v instanceof Float) return formatFloat(v.v);
  if (v instanceof Bytes) return 'b' + quote(v.data);
  if (v instanceof List || v instanceof Dict) {
    if (path.includes(v)) return v instanceof List ? '[...]' : '{...}';
    const inner = [...path, v];
    if (v instanceof List) return '[' + v.elems.map((e) => repr(e, inner)).join(', ') + ']';
    if (v instanceof StarSet) return 'set([' + v.keys().map((k) => repr(k, inner)).join(', ') + '])';
    return '{' + v.items().map(([k, x]) => `${repr(k, inner)}: ${repr(x, inner)}`).join(', ') + '}';
  }
  if (v instanceof Tuple) return '(' + v.elems.map((e) => repr(e, path)).join(', ') + (v.elems.length === 1 ? ',)' : ')');
  if (v instanceof StarFunction) return `<function ${v.name}>`;
  if (v instanceof Builtin) return v.receiver === undefined ? `<built-in function ${v.name}>` : `<built-in method ${v.name} of ${typeName(v.receiver)} value>`;
  if (v instanceof Struct) {
    const fields = [...v.fields].map(([k, x]) => `${k} = ${repr(x, path)}`).join(', ');
    return `${v.ctor === 'struct' ? 'struct' : `"${v.ctor}"`}(${fields})`;
  }
  if (v instanceof Module) return `<module "${v.name}">`;
  if (v instanceof RangeValue) {
    if (v.step !== 1) return `range(${v.start}, ${v.stop}, ${v.step})`;
    return v.start === 0 ? `range(${v.stop})` : `range(${v.start}, ${v.stop})`;
  }
  if (v instanceof HostIterable) return v.display;
  if (v instanceof HostObject) return v.typeName;
  return '?';
}

/** starlark-go's float text: Go's %g with the shortest digits, always showing it is a float. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'nan';
  if (!Number.isFinite(f)) return f > 0 ? '+inf' : '-inf';
  const text = goFormatFloat(f);
  return /[.e]/.test(text) ? text : text + '.0';
}

/** %f: six decimals, exact digits for large values (JS would switch to exponent form), sign of -0 kept. */
function fixed6(f: number): string {
  const text = Math.abs(f) >= 1e21 ? BigInt(f).toString() + '.000000' : f.toFixed(6);
  return Object.is(f, -0) ? '-' + text : text;
}

function goE(f: number, prec: number, upper: boolean): string {
  if (!Number.isFinite(f)) return specialFloat(f, upper);
  const [m0, e] = f.toExponential(prec).split('e');
  const m = Object.is(f, -0) ? '-' + m0 : m0;
  const n = Number(e);
  const text = `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  return upper ? text.toUpperCase() : text;
}

function specialFloat(f: number, upper: boolean): string {
  const text = Number.isNaN(f) ? 'nan' : f > 0 ? '+inf' : '-inf';
  return upper ? text.toUpperCase() : text;
}

const NAMED_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

/** Go's strconv.Quote over a byte string, as starlark-go's repr does (invalid UTF-8 bytes as \xNN). */
export function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      i++;
      if (c === 34) out += '\\"';
      else if (c === 92) out += '\\\\';
      else if (c >= 0x20 && c < 0x7f) out += s[i - 1];
      else out += NAMED_ESCAPES[c] ?? '\\x' + c.toString(16).padStart(2, '0');
      continue;
    }
    const { rune, size } = decodeRuneAt(s, i);
    if (rune === 0xfffd && size === 1) {
      out += '\\x' + c.toString(16).padStart(2, '0');
    } else if (isPrintable(rune)) {
      out += s.slice(i, i + size);
    } else if (rune < 0x10000) out += '\\u' + rune.toString(16).padStart(4, '0');
    else out += '\\U' + rune.toString(16).padStart(8, '0');
    i += size;
  }
  return out + '"';
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isPrintable(rune: number): boolean {
  return PRINTABLE.test(String.fromCodePoint(rune));
}

// ---- the % operator -------------------------------------------------------------------------------------

export function formatPercent(format: string, args: Value): string {
  const positional = args instanceof Tuple ? args.elems : [args];
  let next = 0;
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    i++;
    if (i >= format.length) throw new StarlarkError('incomplete format');
    let arg: Value;
    if (format[i] === '(') {
      const close = format.indexOf(')', i);
      if (close < 0) throw new StarlarkError('incomplete format key');
      const key = format.slice(i + 1, close);
      if (!(args instanceof Dict)) throw new StarlarkError('format requires a mapping');
      const v = args.get(key);
      if (v === undefined) throw new StarlarkError(`key ${repr(key)} not in dict`);
      arg = v;
      i = close + 1;
      if (i >= format.length) throw new StarlarkError('incomplete format');
    } else if (format[i] === '%') {
      out += '%';
      continue;
    } else {
      if (next >= positional.length) throw new StarlarkError('not enough arguments for format string');
      arg = positional[next++];
    }
    out += formatDirective(format[i], arg);
  }
  if (!(args instanceof Dict) && next < positional.length) throw new StarlarkError('too many arguments for format string');
  return out;
}

function formatDirective(verb: string, arg: Value): string {
  switch (verb) {
    case 's':
      return str(arg);
    case 'r':
      return repr(arg);
    case 'd':
    case 'i':
    case 'o':
    case 'x':
    case 'X': {
      let n: Value = arg;
      if (typeof arg === 'boolean') throw new StarlarkError(`%${verb} format requires integer: cannot convert bool to int`);
      if (arg instanceof Float) n = floatToInt(arg.v);
      if (!isInt(n)) throw new StarlarkError(`%${verb} format requires integer: ${typeName(arg)}`);
      const text = verb === 'o' ? n.toString(8) : verb === 'x' ? n.toString(16) : verb === 'X' ? n.toString(16).toUpperCase() : n.toString();
      return text;
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      const f = arg instanceof Float ? arg.v : isInt(arg) ? intToFloat(arg) : undefined;
      if (f === undefined) throw new StarlarkError(`%${verb} format requires float, not ${typeName(arg)}`);
      const upper = verb === 'E' || verb === 'F' || verb === 'G';
      if (verb === 'e' || verb === 'E') return goE(f, 6, upper);
      if (verb === 'f' || verb === 'F') return Number.isFinite(f) ? fixed6(f) : specialFloat(f, upper);
      const g = formatFloat(f);
      return upper ? g.toUpperCase() : g;
    }
    case 'c':
      return formatChar(arg);
  }
  throw new StarlarkError(`unknown conversion %${verb}`);
}

function formatChar(arg: Value): string {
  if (typeof arg === 'string') {
    if (arg.length === 0 || decodeRuneAt(arg, 0).size !== arg.length) throw new StarlarkError('%c format requires a single-character string');
    return arg;
  }
  if (!isInt(arg)) throw new StarlarkError(`%c format requires int or single-character string, not ${typeName(arg)}`);
  const n = Number(arg);
  if (n < 0 || n > 0x10ffff || (n >= 0xd800 && n < 0xe000)) throw new StarlarkError(`%c format requires a valid Unicode code point, got ${arg}`);
  return encodeRune(n);
}

// ---- str.format -----------------------------------------------------------------------------------------

export function formatBraces(format: string, args: Value[], kwargs: Array<[string, Value]>): string {
  let out = '';
  let auto = 0;
  let mode: 'auto' | 'manual' | undefined;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '}') {
      if (format[i + 1] !== '}') throw new StarlarkError("single '}' in format");
      out += '}';
      i++;
      continue;
    }
    if (c !== '{') {
      out += c;
      continue;
    }
    if (format[i + 1] === '{') {
      out += '{';
      i++;
      continue;
    }
    const close = format.indexOf('}', i);
    if (close < 0) throw new StarlarkError("unmatched '{' in format");
    const field = format.slice(i + 1, close);
    if (field.includes('{')) throw new StarlarkError('nested replacement fields not supported');
    i = close;
    const bang = field.indexOf('!');
    const colon = field.indexOf(':');
    const nameEnd = bang >= 0 && (colon < 0 || bang < colon) ? bang : colon >= 0 ? colon : field.length;
    const name = field.slice(0, nameEnd);
    const conv = bang === nameEnd ? field.slice(bang + 1, colon > bang ? colon : field.length) : undefined;
    if (conv !== undefined && conv !== 's' && conv !== 'r') throw new StarlarkError(`unknown conversion ${JSON.stringify(conv)}`);
    if (colon >= 0 && colon >= nameEnd) throw new StarlarkError('format spec features not supported in replacement fields');
    let arg: Value;
    if (name === '') {
      if (mode === 'manual') throw new StarlarkError('cannot switch from manual field specification to automatic field numbering');
      mode = 'auto';
      if (auto >= args.length) throw new StarlarkError('tuple index out of range');
      arg = args[auto++];
    } else if (/^\d+$/.test(name)) {
      if (mode === 'auto') throw new StarlarkError('cannot switch from automatic field numbering to manual field specification');
      mode = 'manual';
      const n = Number(name);
      if (n >= args.length) throw new StarlarkError('tuple index out of range');
      arg = args[n];
    } else {
      if (name.includes('.')) throw new StarlarkError('attribute syntax x.y is not supported in replacement fields');
      if (name.includes('[')) throw new StarlarkError('element syntax a[i] is not supported in replacement fields');
      const kw = kwargs.find(([k]) => k === name);
      if (!kw) throw new StarlarkError(`keyword ${name} not found`);
      arg = kw[1];
    }
    out += conv === 'r' ? repr(arg) : str(arg);
  }
  return out;
}


registerFormatting(repr, formatPercent);
