// Starlark ints have arbitrary precision. They are JS numbers while they are safe integers (the common, fast
// case) and bigints beyond; every operation returns the normalised form, so equal ints have one representation.

import { StarlarkError } from './values.js';

export type Int = number | bigint;

export function normInt(b: bigint): Int {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

export function big(x: Int): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}

export function intAdd(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x + y;
    if (Number.isSafeInteger(r)) return r;
  }
  return normInt(big(x) + big(y));
}

export function intSub(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x - y;
    if (Number.isSafeInteger(r)) return r;
  }
  return normInt(big(x) - big(y));
}

export function intMul(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x * y;
    if (Number.isSafeInteger(r)) return r + 0;
  }
  return normInt(big(x) * big(y));
}

const SMALL = 2 ** 31;

function small(x: Int): x is number {
  return typeof x === 'number' && x < SMALL && x > -SMALL;
}

/** Floored division, as Starlark's `//`. */
export function intFloorDiv(x: Int, y: Int): Int {
  if (y === 0) throw new StarlarkError('floored division by zero');
  if (small(x) && small(y)) return Math.floor(x / y) + 0;
  const a = big(x);
  const b = big(y);
  let q = a / b;
  if ((a % b !== 0n) && ((a < 0n) !== (b < 0n))) q -= 1n;
  return normInt(q);
}

/** Modulo with the sign of the divisor, as Starlark's `%`. */
export function intMod(x: Int, y: Int): Int {
  if (y === 0) throw new StarlarkError('integer modulo by zero');
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x % y;
    return (r !== 0 && (r < 0) !== (y < 0) ? r + y : r) + 0;
  }
  const a = big(x);
  const b = big(y);
  let r = a % b;
  if (r !== 0n && (r < 0n) !== (b < 0n)) r += b;
  return normInt(r);
}

export function intNeg(x: Int): Int {
  return typeof x === 'number' ? -x + 0 : normInt(-x);
}

export function intBitwise(op: '&' | '|' | '^', x: Int, y: Int): Int {
  const a = big(x);
  const b = big(y);
  return normInt(op === '&' ? a & b : op === '|' ? a | b : a ^ b);
}

export function intInvert(x: Int): Int {
  return normInt(~big(x));
}

export function intShift(op: '<<' | '>>', x: Int, y: Int): Int {
  const n = big(y);
  if (n < 0n) throw new StarlarkError(`negative shift count: ${n}`);
  if (op === '<<' && n >= 512n) throw new StarlarkError(`shift count too large: ${n}`);
  return normInt(op === '<<' ? big(x) << n : big(x) >> n);
}

export function intCompare(x: Int, y: Int): number {
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  const a = big(x);
  const b = big(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The int as a float, or an error when it is too large for one. */
export function intToFloat(x: Int): number {
  const f = Number(x);
  if (!Number.isFinite(f)) throw new StarlarkError('int too large to convert to float');
  return f;
}

/** Exact comparison of an int with a finite or infinite float (callers order NaN themselves). */
export function compareIntFloat(x: Int, f: number): number {
  if (Number.isNaN(f)) return NaN;
  if (f === Infinity) return -1;
  if (f === -Infinity) return 1;
  if (typeof x === 'number') return x < f ? -1 : x > f ? 1 : 0;
  const floor = BigInt(Math.floor(f));
  if (x < floor) return -1;
  if (x > floor) return 1;
  return Math.floor(f) === f ? 0 : -1;
}

/** A float with an integral value as an int (for int(), floor division results and hashing). */
export function floatToInt(f: number): Int {
  if (!Number.isFinite(f)) throw new StarlarkError(`cannot convert float ${Number.isNaN(f) ? 'NaN' : 'infinity'} to integer`);
  const t = Math.trunc(f);
  return Number.isSafeInteger(t) ? t + 0 : BigInt(t);
}

