// The universe: Starlark's predeclared functions and constants, as starlark-go defines them.

import { noKwargs, unpackArgs } from './arguments.js';
import { attrNames, getAttr, hasAttr } from './attributes.js';
import { registerUniverse } from './eval.js';
import { repr, str } from './format.js';
import { floatToInt, intCompare, intNeg, normInt } from './ints.js';
import { updateDict } from './methods-containers.js';
import { compare, isIterable, length, toArray, truth } from './ops.js';
import { decodeRuneAt, decodeUtf8, encodeRune, encodeUtf8 } from './utf8.js';
import {
  Builtin, Bytes, Dict, Float, isInt, List, RangeValue, StarFunction, StarlarkError, StarSet, Tuple, typeName, type BuiltinCall, type Value,
} from './values.js';

type Impl = (call: BuiltinCall) => Value;

function oneArg(name: string, call: BuiltinCall): Value {
  noKwargs(name, call.kwargs);
  if (call.args.length !== 1) throw new StarlarkError(`${name}: got ${call.args.length} arguments, want exactly 1`);
  return call.args[0];
}

function optionalArg(name: string, call: BuiltinCall): Value | undefined {
  noKwargs(name, call.kwargs);
  if (call.args.length > 1) throw new StarlarkError(`${name}: got ${call.args.length} arguments, want at most 1`);
  return call.args[0];
}

function parseIntString(text: string, baseArg: number | undefined): Value {
  const fail = (): never => {
    throw new StarlarkError(`int: invalid literal with base ${baseArg ?? 10}: ${text}`);
  };
  let s = text;
  let negative = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  let base = baseArg ?? 10;
  const prefix = /^0[xXoObB]/.test(s) ? ({ x: 16, o: 8, b: 2 } as Record<string, number>)[s[1].toLowerCase()] : undefined;
  if (base === 0) {
    if (prefix !== undefined) {
      base = prefix;
      s = s.slice(2);
    } else if (/^0+$/.test(s)) return 0;
    else if (s.startsWith('0')) fail();
    else base = 10;
  } else if (prefix === base) s = s.slice(2);
  if (s === '') fail();
  let n = 0n;
  const b = BigInt(base);
  for (const ch of s.toLowerCase()) {
    const d = /[0-9a-z]/.test(ch) ? parseInt(ch, 36) : NaN;
    if (Number.isNaN(d) || d >= base) fail();
    n = n * b + BigInt(d);
  }
  return normInt(negative ? -n : n);
}

const intBuiltin: Impl = (call) => {
  const [x, base] = unpackArgs('int', call.args, call.kwargs, ['x', 'base?']);
  if (x === undefined) return 0;
  if (base !== undefined) {
    if (typeof x !== 'string') throw new StarlarkError('int: can\'t convert non-string with explicit base');
    if (!isInt(base)) throw new StarlarkError(`int: for parameter base: got ${typeName(base)}, want int`);
    const b = Number(base);
    if (b !== 0 && (b < 2 || b > 36)) throw new StarlarkError('int: base must be an integer >= 2 && <= 36');
    return parseIntString(x, b);
  }
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (isInt(x)) return x;
  if (x instanceof Float) return floatToInt(x.v);
  if (typeof x === 'string') return parseIntString(x, undefined);
  throw new StarlarkError(`int: got ${typeName(x)}, want int, float, bool or string`);
};

const floatBuiltin: Impl = (call) => {
  const x = optionalArg('float', call);
  if (x === undefined) return new Float(0);
  if (typeof x === 'boolean') return new Float(x ? 1 : 0);
  if (isInt(x)) {
    const f = Number(x);
    if (!Number.isFinite(f)) throw new StarlarkError('int too large to convert to float');
    return new Float(f);
  }
  if (x instanceof Float) return x;
  if (typeof x === 'string') {
    const t = x.toLowerCase();
    if (/^[+-]?(inf|infinity)$/.test(t)) return new Float(t.startsWith('-') ? -Infinity : Infinity);
    if (/^[+-]?nan$/.test(t)) return new Float(NaN);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) throw new StarlarkError(`invalid float literal: ${x}`);
    const f = Number(t);
    if (!Number.isFinite(f)) throw new StarlarkError(`floating-point number too large: ${x}`);
    return new Float(f);
  }
  throw new StarlarkError(`float: got ${typeName(x)}, want number or string`);
};

function rangeArgs(call: BuiltinCall): RangeValue {
  noKwargs('range', call.kwargs);
  const args = call.args.map((a) => {
    if (!isInt(a)) throw new StarlarkError(`range: got ${typeName(a)}, want int`);
    if (typeof a === 'bigint' || a > 2147483647 || a < -2147483648) throw new StarlarkError(`range: ${a} out of range (want value in signed 32-bit range)`);
    return a;
  });
  if (args.length < 1 || args.length > 3) throw new StarlarkError(`range: got ${args.length} arguments, want 1-3`);
  const [start, stop, step] = args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1];
  if (step === 0) throw new StarlarkError('range: step argument must not be zero');
  return new RangeValue(start, stop, step);
}

function minMax(name: string, call: BuiltinCall, sign: number): Value {
  const [key] = unpackArgs(name, [], call.kwargs, ['key?']);
  if (call.args.length === 0) throw new StarlarkError(`${name} requires at least one positional argument`);
  if (call.args.length === 1 && !isIterable(call.args[0])) throw new StarlarkError(`${name}: ${typeName(call.args[0])} value is not iterable`);
  const items = call.args.length === 1 ? toArray(call.args[0], name) : call.args;
  if (items.length === 0) throw new StarlarkError(`${name}: argument is an empty sequence`);
  const keyOf = (v: Value) => (key === undefined || key === null ? v : call.thread.call(key, [v], []));
  let best = items[0];
  let bestKey = keyOf(best);
  for (const v of items.slice(1)) {
    const k = keyOf(v);
    if (compare('<', k, bestKey) * sign < 0) {
      best = v;
      bestKey = k;
    }
  }
  return best;
}

function sortedBuiltin(call: BuiltinCall): Value {
  const [iterable, key, reverse] = unpackArgs('sorted', call.args, call.kwargs, ['iterable', 'key?', 'reverse?']);
  const items = toArray(iterable!, 'sorted: for parameter iterable');
  if (key !== undefined && !(key instanceof Builtin || key instanceof StarFunction)) {
    throw new StarlarkError(`sorted: for parameter key: got ${typeName(key)}, want callable`);
  }
  const keys = key === undefined ? items : items.map((v) => call.thread.call(key, [v], []));
  const order = items.map((_, i) => i);
  const rev = reverse !== undefined && truth(reverse);
  // Compared as (earlier, later), so a type mismatch is reported in the operand order Go reports it.
  order.sort((a, b) => {
    const c = -compare('<', keys[b], keys[a]);
    return rev ? -c : c;
  });
  return new List(order.map((i) => items[i]));
}

function dictBuiltin(call: BuiltinCall): Value {
  if (call.args.length > 1) throw new StarlarkError(`dict: got ${call.args.length} arguments, want at most 1`);
  const seen = new Set<string>();
  for (const [k] of call.kwargs) {
    if (seen.has(k)) throw new StarlarkError(`dict: duplicate keyword arg: ${repr(k)}`);
    seen.add(k);
  }
  const d = new Dict();
  updateDict(d, call, 'dict');
  return d;
}

function chr(call: BuiltinCall): Value {
  const x = oneArg('chr', call);
  if (!isInt(x)) throw new StarlarkError(`chr: got ${typeName(x)}, want int`);
  const n = Number(x);
  if (n < 0) throw new StarlarkError(`chr: Unicode code point ${x} out of range (<0)`);
  if (n > 0x10ffff) throw new StarlarkError(`chr: Unicode code point U+${n.toString(16).toUpperCase()} out of range (>0x10FFFF)`);
  return encodeRune(n >= 0xd800 && n < 0xe000 ? 0xfffd : n);
}

function ord(call: BuiltinCall): Value {
  const x = oneArg('ord', call);
  if (typeof x === 'string') {
    const { rune, size } = x.length > 0 ? decodeRuneAt(x, 0) : { rune: 0, size: 0 };
    if (x.length === 0 || size !== x.length) throw new StarlarkError(`ord: string encodes ${runeCount(x)} Unicode code points, want 1`);
    return rune;
  }
  if (x instanceof Bytes) {
    if (x.data.length !== 1) throw new StarlarkError(`ord: bytes has length ${x.data.length}, want 1`);
    return x.data.charCodeAt(0);
  }
  throw new StarlarkError(`ord: got ${typeName(x)}, want string or bytes`);
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; n++) i += decodeRuneAt(s, i).size;
  return n;
}

function bytesBuiltin(call: BuiltinCall): Value {
  const x = oneArg('bytes', call);
  if (x instanceof Bytes) return x;
  if (typeof x === 'string') return new Bytes(encodeUtf8(decodeLossless(x)));
  if (isIterable(x)) {
    return new Bytes(
      toArray(x)
        .map((b) => {
          if (!isInt(b)) throw new StarlarkError(`bytes: at index 0, got ${typeName(b)}, want int`);
          if (b < 0 || b > 255) throw new StarlarkError(`bytes: at index 0, ${b} out of range (want value in unsigned 8-bit range)`);
          return String.fromCharCode(Number(b));
        })
        .join(''),
    );
  }
  throw new StarlarkError(`bytes: got ${typeName(x)}, want string, bytes, or iterable of ints`);
}

/** bytes(str) replaces invalid UTF-8 with U+FFFD, byte sequence by byte sequence. */
function decodeLossless(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    const { rune, size } = decodeRuneAt(s, i);
    out += String.fromCodePoint(rune);
    i += size;
  }
  return out;
}

function hashBuiltin(call: BuiltinCall): Value {
  const x = oneArg('hash', call);
  if (typeof x === 'string') {
    // Java's String.hashCode (over UTF-16 code units), as starlark-go does for strings.
    const text = decodeUtf8(x);
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    return h;
  }
  if (x instanceof Bytes) {
    // 32-bit FNV-1a.
    let h = 0x811c9dc5;
    for (let i = 0; i < x.data.length; i++) h = Math.imul(h ^ x.data.charCodeAt(i), 0x01000193) >>> 0;
    return h;
  }
  throw new StarlarkError(`hash: got ${typeName(x)}, want string or bytes`);
}

function abs(call: BuiltinCall): Value {
  const x = oneArg('abs', call);
  if (x instanceof Float) return new Float(Math.abs(x.v));
  if (isInt(x)) return intCompare(x, 0) < 0 ? intNeg(x) : x;
  throw new StarlarkError(`abs: got ${typeName(x)}, want int or float`);
}

function enumerate(call: BuiltinCall): Value {
  const [iterable, start] = unpackArgs('enumerate', call.args, call.kwargs, ['iterable', 'start?']);
  const s = start === undefined ? 0 : Number(start);
  return new List(toArray(iterable!, 'enumerate').map((v, i) => new Tuple([s + i, v])));
}

function zip(call: BuiltinCall): Value {
  noKwargs('zip', call.kwargs);
  const cols = call.args.map((a, i) => {
    if (!isIterable(a)) throw new StarlarkError(`zip: argument #${i + 1} is not iterable: ${typeName(a)}`);
    return toArray(a);
  });
  const n = cols.length === 0 ? 0 : Math.min(...cols.map((c) => c.length));
  const out: Value[] = [];
  for (let i = 0; i < n; i++) out.push(new Tuple(cols.map((c) => c[i])));
  return new List(out);
}

function getattr(call: BuiltinCall): Value {
  noKwargs('getattr', call.kwargs);
  if (call.args.length < 2 || call.args.length > 3) throw new StarlarkError(`getattr: got ${call.args.length} arguments, want 2 or 3`);
  const [x, name, dflt] = call.args;
  if (typeof name !== 'string') throw new StarlarkError(`getattr: for parameter name: got ${typeName(name)}, want string`);
  if (!hasAttr(x, name) && call.args.length === 3) return dflt;
  return getAttr(x, name);
}

function fail(call: BuiltinCall): Value {
  const [sep] = unpackArgs('fail', [], call.kwargs, ['sep?']);
  const separator = sep === undefined ? ' ' : sep;
  if (typeof separator !== 'string') throw new StarlarkError(`fail: for parameter sep: got ${typeName(separator)}, want string`);
  throw new StarlarkError('fail: ' + call.args.map(str).join(separator));
}

function print(call: BuiltinCall): Value {
  const [sep] = unpackArgs('print', [], call.kwargs, ['sep?']);
  call.thread.print(call.args.map(str).join(typeof sep === 'string' ? sep : ' '));
  return null;
}

function typeBuiltin(call: BuiltinCall): Value {
  return typeName(oneArg('type', call));
}

function lenBuiltin(call: BuiltinCall): Value {
  const x = oneArg('len', call);
  const n = length(x);
  if (n === undefined) throw new StarlarkError(`len: value of type ${typeName(x)} has no len`);
  return n;
}

function boolBuiltin(call: BuiltinCall): Value {
  const x = optionalArg('bool', call);
  return x === undefined ? false : truth(x);
}

function strBuiltin(call: BuiltinCall): Value {
  const x = oneArg('str', call);
  return x instanceof Bytes ? encodeUtf8(decodeLossless(x.data)) : str(x);
}

function setBuiltin(call: BuiltinCall): Value {
  const x = optionalArg('set', call);
  const s = new StarSet();
  if (x !== undefined) for (const k of toArray(x, 'set')) s.add(k);
  return s;
}

function reversedBuiltin(call: BuiltinCall): Value {
  return new List(toArray(oneArg('reversed', call), 'reversed').reverse());
}

function listBuiltin(call: BuiltinCall): Value {
  const x = optionalArg('list', call);
  return new List(x === undefined ? [] : toArray(x, 'list'));
}

function tupleBuiltin(call: BuiltinCall): Value {
  const x = optionalArg('tuple', call);
  if (x instanceof Tuple) return x;
  return new Tuple(x === undefined ? [] : toArray(x, 'tuple'));
}

function anyAll(name: string, want: boolean): Impl {
  return (call) => {
    for (const v of toArray(oneArg(name, call), name)) if (truth(v) === want) return want;
    return !want;
  };
}

const IMPLS: Record<string, Impl> = {
  abs,
  all: anyAll('all', false),
  any: anyAll('any', true),
  bool: boolBuiltin,
  bytes: bytesBuiltin,
  chr,
  dict: dictBuiltin,
  dir: (call) => new List(attrNames(oneArg('dir', call))),
  enumerate,
  fail,
  float: floatBuiltin,
  getattr,
  hasattr: (call) => {
    noKwargs('hasattr', call.kwargs);
    const [x, name] = call.args;
    if (typeof name !== 'string') throw new StarlarkError(`hasattr: got ${typeName(name ?? null)}, want string`);
    return hasAttr(x, name);
  },
  hash: hashBuiltin,
  int: intBuiltin,
  len: lenBuiltin,
  list: listBuiltin,
  max: (call) => minMax('max', call, -1),
  min: (call) => minMax('min', call, 1),
  ord,
  print,
  range: rangeArgs,
  repr: (call) => repr(oneArg('repr', call)),
  reversed: reversedBuiltin,
  set: setBuiltin,
  sorted: sortedBuiltin,
  str: strBuiltin,
  tuple: tupleBuiltin,
  type: typeBuiltin,
  zip,
};

const UNIVERSE = new Map<string, Value>([['None', null], ['True', true], ['False', false]]);
for (const [name, impl] of Object.entries(IMPLS)) UNIVERSE.set(name, new Builtin(name, impl));

export function isUniversal(name: string): boolean {
  return UNIVERSE.has(name);
}

export function universe(name: string): Value | undefined {
  return UNIVERSE.get(name);
}

registerUniverse(universe);
