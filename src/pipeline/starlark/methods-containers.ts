// The methods of list, dict, set and bytes.

import { noKwargs, unpackArgs } from './arguments.js';
import { quote, repr } from './format.js';
import { checkAlloc, equals, isIterable, toArray } from './ops.js';
import { Bytes, Dict, HostIterable, isInt, List, StarlarkError, StarSet, Tuple, typeName, type BuiltinCall, type Value } from './values.js';

export type MethodTable = ReadonlyMap<string, (recv: Value, call: BuiltinCall) => Value>;

function table<T>(methods: Record<string, (recv: T, call: BuiltinCall) => Value>): MethodTable {
  return new Map(Object.entries(methods).map(([name, m]) => [name, (recv: Value, call: BuiltinCall) => m(recv as T, call)]));
}

function exactArgs(name: string, call: BuiltinCall, min: number, max = min): void {
  noKwargs(name, call.kwargs);
  const n = call.args.length;
  if (n < min || n > max) {
    throw new StarlarkError(min === max ? `${name}: got ${n} arguments, want ${min}` : `${name}: got ${n} arguments, want ${min}-${max}`);
  }
}

function listIndex(list: List, v: Value, name: string): number {
  if (!isInt(v)) throw new StarlarkError(`${name}: got ${typeName(v)}, want int`);
  const n = list.elems.length;
  const i = Number(v) < 0 ? Number(v) + n : Number(v);
  if (i < 0 || i >= n) throw new StarlarkError(`${name}: index ${v} out of range [${-n}:${n - 1}]`);
  return i;
}

export const LIST_METHODS = table<List>({
  append: (list, call) => {
    exactArgs('append', call, 1);
    list.checkMutable('append to');
    list.elems.push(call.args[0]);
    return null;
  },
  clear: (list, call) => {
    exactArgs('clear', call, 0);
    list.checkMutable('clear');
    list.elems.length = 0;
    return null;
  },
  extend: (list, call) => {
    exactArgs('extend', call, 1);
    list.checkMutable('extend');
    const items = toArray(call.args[0], 'extend');
    checkAlloc(list.elems.length + items.length, 'extend');
    for (const item of items) list.elems.push(item);
    return null;
  },
  index: (list, call) => {
    const [x, start, end] = unpackArgs('index', call.args, call.kwargs, ['x', 'start?', 'end?']);
    const n = list.elems.length;
    const clamp = (v: Value | undefined, d: number) => {
      if (v === undefined || v === null) return d;
      let k = Number(v);
      if (k < 0) k += n;
      return Math.min(Math.max(k, 0), n);
    };
    for (let i = clamp(start, 0); i < clamp(end, n); i++) if (equals(list.elems[i], x!)) return i;
    throw new StarlarkError(`index: value not in list`);
  },
  insert: (list, call) => {
    exactArgs('insert', call, 2);
    list.checkMutable('insert into');
    const [iv, v] = call.args;
    if (!isInt(iv)) throw new StarlarkError(`insert: got ${typeName(iv)}, want int`);
    const n = list.elems.length;
    let i = Number(iv);
    if (i < 0) i += n;
    list.elems.splice(Math.min(Math.max(i, 0), n), 0, v);
    return null;
  },
  pop: (list, call) => {
    exactArgs('pop', call, 0, 1);
    const i = call.args.length === 0 ? list.elems.length - 1 : listIndex(list, call.args[0], 'pop');
    if (list.elems.length === 0) throw new StarlarkError('pop: index -1 out of range [0:0]');
    list.checkMutable('pop from');
    return list.elems.splice(i, 1)[0];
  },
  remove: (list, call) => {
    exactArgs('remove', call, 1);
    list.checkMutable('remove from');
    const i = list.elems.findIndex((e) => equals(e, call.args[0]));
    if (i < 0) throw new StarlarkError(`remove: element not found`);
    list.elems.splice(i, 1);
    return null;
  },
});

export function updateDict(d: Dict, call: BuiltinCall, name: string): void {
  if (call.args.length > 1) throw new StarlarkError(`${name}: got ${call.args.length} arguments, want at most 1`);
  if (call.args.length === 1) {
    const src = call.args[0];
    if (src instanceof Dict && !(src instanceof StarSet)) {
      for (const [k, v] of src.items()) d.set(k, v);
    } else {
      for (const [i, item] of toArray(src, name).entries()) {
        if (!isIterable(item)) throw new StarlarkError(`${name}: dictionary update sequence element #${i} is not iterable (${typeName(item)})`);
        const pair = toArray(item);
        if (pair.length !== 2) throw new StarlarkError(`${name}: dictionary update sequence element #${i} has length ${pair.length}, want 2`);
        d.set(pair[0], pair[1]);
      }
    }
  }
  for (const [k, v] of call.kwargs) d.set(k, v);
}

export const DICT_METHODS = table<Dict>({
  clear: (d, call) => {
    exactArgs('clear', call, 0);
    if (d.frozen) throw new StarlarkError('cannot clear frozen hash table');
    d.clear();
    return null;
  },
  get: (d, call) => {
    exactArgs('get', call, 1, 2);
    return d.get(call.args[0]) ?? (call.args.length > 1 ? call.args[1] : null);
  },
  items: (d, call) => {
    exactArgs('items', call, 0);
    return new List(d.items().map(([k, v]) => new Tuple([k, v])));
  },
  keys: (d, call) => {
    exactArgs('keys', call, 0);
    return new List(d.keys());
  },
  values: (d, call) => {
    exactArgs('values', call, 0);
    return new List(d.items().map(([, v]) => v));
  },
  pop: (d, call) => {
    exactArgs('pop', call, 1, 2);
    const v = d.get(call.args[0]);
    if (v !== undefined) {
      d.delete(call.args[0]);
      return v;
    }
    if (call.args.length > 1) return call.args[1];
    throw new StarlarkError(`pop: missing key ${repr(call.args[0])}`);
  },
  popitem: (d, call) => {
    exactArgs('popitem', call, 0);
    const first = d.items()[0];
    if (!first) throw new StarlarkError('popitem: empty dict');
    d.delete(first[0]);
    return new Tuple(first);
  },
  setdefault: (d, call) => {
    exactArgs('setdefault', call, 1, 2);
    const v = d.get(call.args[0]);
    if (v !== undefined) return v;
    const dflt = call.args.length > 1 ? call.args[1] : null;
    d.set(call.args[0], dflt);
    return dflt;
  },
  update: (d, call) => {
    updateDict(d, call, 'update');
    return null;
  },
});

export const SET_METHODS = table<StarSet>({
  union: (s, call) => {
    exactArgs('union', call, 1);
    const out = new StarSet();
    for (const k of s.keys()) out.add(k);
    for (const k of toArray(call.args[0], 'union')) out.add(k);
    return out;
  },
});

export const BYTES_METHODS = table<Bytes>({
  elems: (b, call) => {
    exactArgs('elems', call, 0);
    const elems = Array.from(b.data, (ch) => ch.charCodeAt(0));
    return new HostIterable('bytes.elems', () => elems[Symbol.iterator](), `b${quote(b.data)}.elems()`, elems);
  },
});
