// Starlark's operators on values: truth, equality, ordering, arithmetic, membership, iteration, indexing.

import {
  compareIntFloat, intAdd, intBitwise, intCompare, intFloorDiv, intInvert, intMod, intMul, intNeg, intShift, intSub, intToFloat, type Int,
} from './ints.js';
import { Bytes, Dict, Float, HostIterable, HostObject, isInt, List, RangeValue, StarlarkError, StarSet, Struct, Tuple, typeName, type Value } from './values.js';

export function truth(v: Value): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'bigint':
      return true;
    case 'string':
      return v.length > 0;
  }
  if (v instanceof Float) return v.v !== 0;
  if (v instanceof Bytes) return v.data.length > 0;
  if (v instanceof List || v instanceof Tuple) return v.elems.length > 0;
  if (v instanceof Dict) return v.size > 0;
  if (v instanceof RangeValue) return v.length > 0;
  return true;
}

function isNumber(v: Value): v is number | bigint | Float {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof Float;
}

export function equals(x: Value, y: Value, depth = 0): boolean {
  if (x === y && !(x instanceof List || x instanceof Dict || x instanceof Tuple)) return true;
  if (depth > 100) throw new StarlarkError('comparison exceeded maximum recursion depth');
  if (isNumber(x) && isNumber(y)) return compareNumbers(x, y) === 0;
  if (x instanceof Bytes && y instanceof Bytes) return x.data === y.data;
  if ((x instanceof List && y instanceof List) || (x instanceof Tuple && y instanceof Tuple)) {
    if (x.elems.length !== y.elems.length) return false;
    return x.elems.every((e, i) => equals(e, y.elems[i], depth + 1));
  }
  if (x instanceof StarSet || y instanceof StarSet) {
    if (!(x instanceof StarSet && y instanceof StarSet) || x.size !== y.size) return false;
    return x.keys().every((k) => y.has(k));
  }
  if (x instanceof Dict && y instanceof Dict) {
    if (x.size !== y.size) return false;
    for (const [k, v] of x.items()) {
      const w = y.get(k);
      if (w === undefined || !equals(v, w, depth + 1)) return false;
    }
    return true;
  }
  if (x instanceof Struct && y instanceof Struct) {
    if (x.ctor !== y.ctor || x.fields.size !== y.fields.size) return false;
    for (const [k, v] of x.fields) {
      const w = y.fields.get(k);
      if (w === undefined || !equals(v, w, depth + 1)) return false;
    }
    return true;
  }
  if (x instanceof RangeValue && y instanceof RangeValue) {
    const n = x.length;
    if (n !== y.length) return false;
    return n === 0 || (x.start === y.start && (n === 1 || x.step === y.step));
  }
  return false;
}

/** -1, 0 or 1; floats are totally ordered as in starlark-go: NaN equals itself and exceeds +Inf. */
function compareNumbers(x: number | bigint | Float, y: number | bigint | Float): number {
  const xNaN = x instanceof Float && Number.isNaN(x.v);
  const yNaN = y instanceof Float && Number.isNaN(y.v);
  if (xNaN || yNaN) return xNaN && yNaN ? 0 : xNaN ? 1 : -1;
  if (x instanceof Float) {
    if (y instanceof Float) return x.v < y.v ? -1 : x.v > y.v ? 1 : 0;
    return -compareIntFloat(y, x.v);
  }
  if (y instanceof Float) return compareIntFloat(x, y.v);
  return intCompare(x, y);
}

/** Ordered comparison; `op` names the operator for the error message. */
export function compare(op: string, x: Value, y: Value, depth = 0): number {
  if (isNumber(x) && isNumber(y)) return compareNumbers(x, y);
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  if (x instanceof Bytes && y instanceof Bytes) return x.data < y.data ? -1 : x.data > y.data ? 1 : 0;
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  if ((x instanceof List && y instanceof List) || (x instanceof Tuple && y instanceof Tuple)) {
    if (depth > 100) throw new StarlarkError('comparison exceeded maximum recursion depth');
    const n = Math.min(x.elems.length, y.elems.length);
    for (let i = 0; i < n; i++) {
      if (!equals(x.elems[i], y.elems[i], depth + 1)) return compare(op, x.elems[i], y.elems[i], depth + 1);
    }
    return x.elems.length - y.elems.length;
  }
  throw new StarlarkError(`${typeName(x)} ${op} ${typeName(y)} not implemented`);
}

export function compareOp(op: string, x: Value, y: Value): boolean {
  if (op === '==') return equals(x, y);
  if (op === '!=') return !equals(x, y);
  const c = compare(op, x, y);
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

function unknownBinary(op: string, x: Value, y: Value): never {
  throw new StarlarkError(`unknown binary op: ${typeName(x)} ${op} ${typeName(y)}`);
}

/**
 * The largest sequence or string an operation may build. Go allows 1<<30; a server shared by many builds
 * cannot, so a script is stopped long before it could exhaust memory (Drone's output limit is 1 MB anyway).
 */
export const MAX_ALLOC = 1 << 24;

export function checkAlloc(n: number, what: string): void {
  if (n > MAX_ALLOC) throw new StarlarkError(`${what}: excessive allocation (${n} elements)`);
}

function repeatCount(n: Int, len: number): number {
  if (typeof n === 'bigint' || n > 2147483647) throw new StarlarkError(`repeat count ${n} too large`);
  if (n * len > MAX_ALLOC) throw new StarlarkError(`excessive repeat (${len} * ${n} elements)`);
  return n < 0 ? 0 : n;
}

export function binary(op: string, x: Value, y: Value): Value {
  if (x instanceof HostObject || y instanceof HostObject) {
    const r = x instanceof HostObject ? x.binaryOp?.(op, y, 'left') : (y as HostObject).binaryOp?.(op, x, 'right');
    if (r !== undefined) return r;
  }
  switch (op) {
    case '+':
      if (typeof x === 'number' && typeof y === 'number') {
        const r = x + y;
        return Number.isSafeInteger(r) ? r : intAdd(x, y);
      }
      if (typeof x === 'string' && typeof y === 'string') {
        checkAlloc(x.length + y.length, 'string +');
        return x + y;
      }
      if (x instanceof List && y instanceof List) {
        checkAlloc(x.elems.length + y.elems.length, 'list +');
        return new List([...x.elems, ...y.elems]);
      }
      if (x instanceof Tuple && y instanceof Tuple) return new Tuple([...x.elems, ...y.elems]);
      if (x instanceof Bytes && y instanceof Bytes) return new Bytes(x.data + y.data);
      return arith(op, x, y);
    case '-':
    case '/':
    case '//':
      return arith(op, x, y);
    case '*':
      return multiply(x, y);
    case '%':
      if (typeof x === 'string') return formatPercent(x, y);
      return arith(op, x, y);
    case '&':
    case '|':
    case '^':
      if (isInt(x) && isInt(y)) return intBitwise(op, x, y);
      if (x instanceof StarSet && y instanceof StarSet) return setOp(op, x, y);
      if (op === '|' && x instanceof Dict && y instanceof Dict && !(x instanceof StarSet) && !(y instanceof StarSet)) {
        const out = new Dict();
        for (const [k, v] of x.items()) out.set(k, v);
        for (const [k, v] of y.items()) out.set(k, v);
        return out;
      }
      return unknownBinary(op, x, y);
    case '<<':
    case '>>':
      if (isInt(x) && isInt(y)) return intShift(op, x, y);
      return unknownBinary(op, x, y);
    case 'in':
      return contains(y, x);
    case 'not in':
      return !contains(y, x);
    default:
      return compareOp(op, x, y);
  }
}

function multiply(x: Value, y: Value): Value {
  if (isInt(x) && isInt(y)) return intMul(x, y);
  if (isInt(y) && !(x instanceof Float) && !isInt(x)) return repeat(x, y, () => unknownBinary('*', x, y));
  if (isInt(x) && !(y instanceof Float)) return repeat(y, x, () => unknownBinary('*', x, y));
  return arith('*', x, y);
}

function repeat(seq: Value, n: Int, fail: () => never): Value {
  if (typeof seq === 'string') return seq.repeat(repeatCount(n, seq.length));
  if (seq instanceof Bytes) return new Bytes(seq.data.repeat(repeatCount(n, seq.data.length)));
  if (seq instanceof List || seq instanceof Tuple) {
    const count = repeatCount(n, seq.elems.length);
    const out: Value[] = [];
    for (let i = 0; i < count; i++) out.push(...seq.elems);
    return seq instanceof List ? new List(out) : new Tuple(out);
  }
  return fail();
}

function setOp(op: '&' | '|' | '^', x: StarSet, y: StarSet): StarSet {
  const out = new StarSet();
  if (op === '|') {
    for (const k of x.keys()) out.add(k);
    for (const k of y.keys()) out.add(k);
  } else if (op === '&') {
    for (const k of x.keys()) if (y.has(k)) out.add(k);
  } else {
    for (const k of x.keys()) if (!y.has(k)) out.add(k);
    for (const k of y.keys()) if (!x.has(k)) out.add(k);
  }
  return out;
}

function arith(op: string, x: Value, y: Value): Value {
  if (isInt(x) && isInt(y)) {
    switch (op) {
      case '+':
        return intAdd(x, y);
      case '-':
        return intSub(x, y);
      case '//':
        return intFloorDiv(x, y);
      case '%':
        return intMod(x, y);
      case '/': {
        if (y === 0) throw new StarlarkError('floating-point division by zero');
        return new Float(intToFloat(x) / intToFloat(y));
      }
    }
  }
  if (isNumber(x) && isNumber(y)) {
    const a = x instanceof Float ? x.v : intToFloat(x);
    const b = y instanceof Float ? y.v : intToFloat(y);
    switch (op) {
      case '+':
        return new Float(a + b);
      case '-':
        return new Float(a - b);
      case '*':
        return new Float(a * b);
      case '/':
        if (b === 0) throw new StarlarkError('floating-point division by zero');
        return new Float(a / b);
      case '//':
        if (b === 0) throw new StarlarkError('floored division by zero');
        return new Float(Math.floor(a / b));
      case '%': {
        if (b === 0) throw new StarlarkError('floating-point modulo by zero');
        let r = a % b;
        if (r !== 0 && (r < 0) !== (b < 0)) r += b;
        return new Float(r);
      }
    }
  }
  return unknownBinary(op, x, y);
}

export function unary(op: string, x: Value): Value {
  switch (op) {
    case 'not':
      return !truth(x);
    case '-':
      if (isInt(x)) return intNeg(x);
      if (x instanceof Float) return new Float(-x.v);
      break;
    case '+':
      if (isInt(x) || x instanceof Float) return x;
      break;
    case '~':
      if (isInt(x)) return intInvert(x);
      break;
  }
  throw new StarlarkError(`unknown unary op: ${op}${typeName(x)}`);
}

export function contains(container: Value, x: Value): boolean {
  if (typeof container === 'string') {
    if (typeof x !== 'string') throw new StarlarkError(`'in <string>' requires string as left operand, not ${typeName(x)}`);
    return container.includes(x);
  }
  if (container instanceof Bytes) {
    if (x instanceof Bytes) return container.data.includes(x.data);
    if (isInt(x)) {
      if (x < 0 || x > 255) throw new StarlarkError(`int in bytes: ${x} out of range`);
      return container.data.includes(String.fromCharCode(Number(x)));
    }
    throw new StarlarkError(`'in bytes' requires bytes or int as left operand, not ${typeName(x)}`);
  }
  if (container instanceof List || container instanceof Tuple) return container.elems.some((e) => equals(e, x));
  if (container instanceof Dict) {
    try {
      return container.has(x);
    } catch {
      return false;
    }
  }
  if (container instanceof RangeValue) {
    if (!isInt(x) && !(x instanceof Float)) throw new StarlarkError(`'in <range>' requires integer as left operand, not ${typeName(x)}`);
    const n = x instanceof Float ? x.v : Number(x);
    const { start, step } = container;
    if (!Number.isInteger(n)) return false;
    const i = (n - start) / step;
    return Number.isInteger(i) && i >= 0 && i < container.length;
  }
  throw new StarlarkError(`unknown binary op: ${typeName(x)} in ${typeName(container)}`);
}

/**
 * A snapshot-free iteration: lists and dicts are marked as being iterated so mutation fails meanwhile.
 * `each` returning false stops the iteration (a `break` or `return` in the loop body).
 */
export function iterate(v: Value, each: (x: Value) => boolean | void): void {
  if (v instanceof List) {
    v.iterating++;
    try {
      for (let i = 0; i < v.elems.length; i++) if (each(v.elems[i]) === false) return;
    } finally {
      v.iterating--;
    }
    return;
  }
  if (v instanceof Tuple) {
    for (const e of v.elems) if (each(e) === false) return;
    return;
  }
  if (v instanceof Dict) {
    v.iterating++;
    try {
      for (const [k] of v.entries.values()) if (each(k) === false) return;
    } finally {
      v.iterating--;
    }
    return;
  }
  if (v instanceof RangeValue) {
    const n = v.length;
    for (let i = 0; i < n; i++) if (each(v.at(i)) === false) return;
    return;
  }
  if (v instanceof HostIterable) {
    const it = v.iterate();
    for (let r = it.next(); !r.done; r = it.next()) if (each(r.value) === false) return;
    return;
  }
  throw new StarlarkError(typeof v === 'string' ? 'string value is not iterable' : `${typeName(v)} value is not iterable`);
}

export function isIterable(v: Value): boolean {
  return v instanceof List || v instanceof Tuple || v instanceof Dict || v instanceof RangeValue || v instanceof HostIterable;
}

export function toArray(v: Value, what?: string): Value[] {
  if (v instanceof List || v instanceof Tuple) return v.elems.slice();
  if (v instanceof RangeValue) checkAlloc(v.length, what ?? 'range');
  if (!isIterable(v)) throw new StarlarkError(what ? `${what}: got ${typeName(v)}, want iterable` : `got ${typeName(v)}, want iterable`);
  const out: Value[] = [];
  iterate(v, (x) => {
    out.push(x);
  });
  return out;
}

export function length(v: Value): number | undefined {
  if (typeof v === 'string') return v.length;
  if (v instanceof Bytes) return v.data.length;
  if (v instanceof List || v instanceof Tuple) return v.elems.length;
  if (v instanceof Dict) return v.size;
  if (v instanceof RangeValue) return v.length;
  if (v instanceof HostIterable && v.elems) return v.elems.length;
  return undefined;
}

function toIndex(i: Value, n: number, what: string): number {
  if (!isInt(i)) throw new StarlarkError(`${what} index: got ${typeName(i)}, want int`);
  const k = typeof i === 'bigint' ? NaN : i;
  const j = k < 0 ? k + n : k;
  if (!(j >= 0 && j < n)) {
    if (n === 0) throw new StarlarkError(`index ${i} out of range: empty ${what}`);
    throw new StarlarkError(`${what === 'list' ? 'list ' : ''}index ${i} out of range [${-n}:${n - 1}]`);
  }
  return j;
}

export function getIndex(x: Value, i: Value): Value {
  if (x instanceof Dict && !(x instanceof StarSet)) {
    const v = x.get(i);
    if (v === undefined) throw new StarlarkError(`key ${reprForError(i)} not in dict`);
    return v;
  }
  if (x instanceof List) return x.elems[toIndex(i, x.elems.length, 'list')];
  if (x instanceof Tuple) return x.elems[toIndex(i, x.elems.length, 'tuple')];
  if (typeof x === 'string') return x[toIndex(i, x.length, 'string')];
  if (x instanceof Bytes) return new Bytes(x.data[toIndex(i, x.data.length, 'bytes')]);
  if (x instanceof RangeValue) return x.at(toIndex(i, x.length, 'range'));
  if (x instanceof HostIterable && x.elems) return x.elems[toIndex(i, x.elems.length, x.typeName)];
  throw new StarlarkError(`unhandled index operation ${typeName(x)}[${typeName(i)}]`);
}

export function setIndex(x: Value, i: Value, v: Value): void {
  if (x instanceof Dict && !(x instanceof StarSet)) {
    x.set(i, v);
    return;
  }
  if (x instanceof List) {
    const j = toIndex(i, x.elems.length, 'list');
    x.checkMutable('assign to element of');
    x.elems[j] = v;
    return;
  }
  throw new StarlarkError(`${typeName(x)} value does not support item assignment`);
}

let reprForErrorImpl: (v: Value) => string = (v) => String(v);
let formatPercentImpl: (format: string, args: Value) => Value = () => null;

/** format.ts registers repr and %-formatting here, avoiding an import cycle. */
export function registerFormatting(repr: (v: Value) => string, percent: (format: string, args: Value) => Value): void {
  reprForErrorImpl = repr;
  formatPercentImpl = percent;
}

function reprForError(v: Value): string {
  return reprForErrorImpl(v);
}

function formatPercent(format: string, args: Value): Value {
  return formatPercentImpl(format, args);
}

/** Python slice semantics: the indices selected by x[lo:hi:step]. */
export function sliceIndices(n: number, lo: Value, hi: Value, step: Value): { start: number; stop: number; step: number } {
  const s = step === null ? 1 : asSliceInt(step, 'slice step');
  if (s === 0) throw new StarlarkError('zero is not a valid slice step');
  const clamp = (v: Value, dflt: number, what: string): number => {
    if (v === null) return dflt;
    let k = asSliceInt(v, what);
    if (k < 0) k += n;
    if (s > 0) return Math.min(Math.max(k, 0), n);
    return Math.min(Math.max(k, -1), n - 1);
  };
  return s > 0
    ? { start: clamp(lo, 0, 'start index'), stop: clamp(hi, n, 'end index'), step: s }
    : { start: clamp(lo, n - 1, 'start index'), stop: clamp(hi, -1, 'end index'), step: s };
}

function asSliceInt(v: Value, what: string): number {
  if (!isInt(v)) throw new StarlarkError(`invalid ${what}: got ${typeName(v)}, want int`);
  return typeof v === 'bigint' ? (v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER) : v;
}

export function slice(x: Value, lo: Value, hi: Value, step: Value): Value {
  const n = length(x);
  if (n === undefined || x instanceof Dict) throw new StarlarkError(`invalid slice operand ${typeName(x)}`);
  const r = sliceIndices(n, lo, hi, step);
  const picks: number[] = [];
  if (r.step > 0) for (let i = r.start; i < r.stop; i += r.step) picks.push(i);
  else for (let i = r.start; i > r.stop; i += r.step) picks.push(i);
  if (typeof x === 'string') return r.step === 1 ? x.slice(r.start, Math.max(r.start, r.stop)) : picks.map((i) => x[i]).join('');
  if (x instanceof Bytes) return new Bytes(picks.map((i) => x.data[i]).join(''));
  if (x instanceof List) return new List(picks.map((i) => x.elems[i]));
  if (x instanceof Tuple) return new Tuple(picks.map((i) => x.elems[i]));
  if (x instanceof RangeValue) {
    const start = x.at(r.start);
    const newStep = x.step * r.step;
    return new RangeValue(start, r.step > 0 ? x.at(r.start) + picks.length * newStep : start + picks.length * newStep, newStep);
  }
  throw new StarlarkError(`invalid slice operand ${typeName(x)}`);
}
