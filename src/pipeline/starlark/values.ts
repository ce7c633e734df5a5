// Starlark's value types as the evaluator sees them.
//
// Representation: None is `null`, bool is a JS boolean, int is a JS number while it is a safe integer and a
// bigint beyond that (see ints.ts), float is a `Float` box (so 1 and 1.0 stay distinct types), and str is a JS
// string holding one UTF-8 *byte* per char code (0–255): Go's Starlark strings are byte strings, so len, index
// and slice count bytes, and keeping bytes lets them do so exactly. `utf8.ts` converts at the edges.

import type { FunctionDef } from './ast.js';

/** A function activation's variables; closures keep their defining activation alive through `parent`. */
export interface Env {
  readonly vars: Array<Value | undefined>;
  readonly parent: Env | null;
}

export type FunctionCode = FunctionDef;

export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Float
  | Bytes
  | List
  | Tuple
  | Dict
  | StarSet
  | StarFunction
  | Builtin
  | Struct
  | Module
  | RangeValue
  | HostIterable
  | HostObject;

export class StarlarkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StarlarkError';
  }
}

export class Float {
  constructor(readonly v: number) {}
}

export class Bytes {
  /** One char code (0–255) per byte. */
  constructor(readonly data: string) {}
}

/** Values that can be frozen (made immutable) once their module has run. */
interface Freezable {
  frozen: boolean;
  freeze(): void;
}

export class List implements Freezable {
  frozen = false;
  /** Active iterations: mutation is refused while > 0. */
  iterating = 0;
  constructor(public elems: Value[]) {}

  freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const e of this.elems) freezeValue(e);
  }

  checkMutable(verb: string): void {
    if (this.frozen) throw new StarlarkError(`cannot ${verb} frozen list`);
    if (this.iterating > 0) throw new StarlarkError(`cannot ${verb} list during iteration`);
  }
}

export class Tuple {
  constructor(readonly elems: Value[]) {}
}

export type HashKey = number | string;

/** Insertion-ordered hash table shared by dict and set. */
export class Dict implements Freezable {
  frozen = false;
  iterating = 0;
  readonly entries = new Map<HashKey, [Value, Value]>();

  get size(): number {
    return this.entries.size;
  }

  get(key: Value): Value | undefined {
    return this.entries.get(hashKey(key))?.[1];
  }

  has(key: Value): boolean {
    return this.entries.has(hashKey(key));
  }

  set(key: Value, value: Value): void {
    this.checkMutable('insert into');
    const h = hashKey(key);
    const existing = this.entries.get(h);
    if (existing) existing[1] = value;
    else this.entries.set(h, [key, value]);
  }

  delete(key: Value): Value | undefined {
    this.checkMutable('delete from');
    const h = hashKey(key);
    const existing = this.entries.get(h);
    if (existing) this.entries.delete(h);
    return existing?.[1];
  }

  clear(): void {
    this.checkMutable('clear');
    this.entries.clear();
  }

  keys(): Value[] {
    return [...this.entries.values()].map((e) => e[0]);
  }

  items(): Array<[Value, Value]> {
    return [...this.entries.values()];
  }

  freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const [k, v] of this.entries.values()) {
      freezeValue(k);
      freezeValue(v);
    }
  }

  checkMutable(verb: string): void {
    if (this.frozen) throw new StarlarkError(`cannot ${verb} frozen hash table`);
    if (this.iterating > 0) throw new StarlarkError(`cannot ${verb} hash table during iteration`);
  }

  get typeName(): string {
    return 'dict';
  }
}

export class StarSet extends Dict {
  override get typeName(): string {
    return 'set';
  }

  add(key: Value): void {
    if (!this.has(key)) this.set(key, null);
  }
}

export class StarFunction {
  frozen = false;
  constructor(
    readonly code: FunctionCode,
    readonly defaults: Value[],
    readonly env: Env | null,
    readonly module: ModuleState,
  ) {}

  get name(): string {
    return this.code.name;
  }
}

/** The globals of one executing file. */
export interface ModuleState {
  readonly filename: string;
  readonly globals: Array<Value | undefined>;
  readonly globalNames: string[];
  readonly predeclared: ReadonlyMap<string, Value>;
  readonly load?: (module: string) => ReadonlyMap<string, Value>;
}

export type BuiltinImpl = (call: BuiltinCall) => Value;

export interface BuiltinCall {
  readonly args: Value[];
  readonly kwargs: Array<[string, Value]>;
  readonly thread: ThreadLike;
  readonly name: string;
}

/** What builtins may ask of the running evaluator. */
export interface ThreadLike {
  call(fn: Value, args: Value[], kwargs: Array<[string, Value]>): Value;
  print(msg: string): void;
}

export class Builtin {
  constructor(
    readonly name: string,
    readonly impl: BuiltinImpl,
    /** The receiver, for a bound method such as `"x".upper`. */
    readonly receiver: Value | undefined = undefined,
  ) {}
}

export class Struct {
  constructor(
    /** The constructor's name: "struct" for struct(...), "context"/"repo"/… for Drone's ctx. */
    readonly ctor: string,
    readonly fields: Map<string, Value>,
  ) {}
}

export class Module {
  constructor(
    readonly name: string,
    readonly members: Map<string, Value>,
  ) {}
}

export class RangeValue {
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {}

  get length(): number {
    const { start, stop, step } = this;
    if (step > 0) return start < stop ? Math.floor((stop - start - 1) / step) + 1 : 0;
    return start > stop ? Math.floor((start - stop - 1) / -step) + 1 : 0;
  }

  at(i: number): number {
    return this.start + i * this.step;
  }
}

/** An iterable supplied by the host or by a method such as str.elems(); `elems` makes it indexable. */
export class HostIterable {
  constructor(
    readonly typeName: string,
    readonly iterate: () => Iterator<Value>,
    /** Its repr, e.g. `"abc".elems()`. */
    readonly display: string = typeName,
    readonly elems?: readonly Value[],
  ) {}
}

/** An application-defined value with settable fields (e.g. the test harness's `hasfields`). */
export class HostObject {
  frozen = false;
  readonly attrs = new Map<string, Value>();
  constructor(
    readonly typeName: string,
    /** Answers `x op y` where this object is on `side`; undefined when unsupported. */
    readonly binaryOp?: (op: string, other: Value, side: 'left' | 'right') => Value | undefined,
    /** Field names it refuses to create. */
    readonly refusesField?: (name: string) => boolean,
  ) {}
}

export function freezeValue(v: Value): void {
  if (v instanceof HostObject) {
    v.frozen = true;
    for (const a of v.attrs.values()) freezeValue(a);
  } else if (v instanceof List || v instanceof Dict) v.freeze();
  else if (v instanceof Tuple) for (const e of v.elems) freezeValue(e);
  else if (v instanceof Struct) for (const f of v.fields.values()) freezeValue(f);
  else if (v instanceof StarFunction && !v.frozen) {
    // Go freezes a closure's defaults and captured variables.
    v.frozen = true;
    for (const d of v.defaults) freezeValue(d);
    for (let env = v.env; env; env = env.parent) for (const x of env.vars) if (x !== undefined) freezeValue(x);
  }
}

export function typeName(v: Value): string {
  if (v === null) return 'NoneType';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
    case 'bigint':
      return 'int';
    case 'string':
      return 'string';
  }
  if (v instanceof Float) return 'float';
  if (v instanceof Bytes) return 'bytes';
  if (v instanceof List) return 'list';
  if (v instanceof Tuple) return 'tuple';
  if (v instanceof Dict) return v.typeName;
  if (v instanceof StarFunction) return 'function';
  if (v instanceof Builtin) return 'builtin_function_or_method';
  if (v instanceof Struct) return 'struct';
  if (v instanceof Module) return 'module';
  if (v instanceof RangeValue) return 'range';
  return v.typeName;
}

export function isInt(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

// ---- hashing -------------------------------------------------------------------------------------------

const identityIds = new WeakMap<object, number>();
let nextIdentity = 1;

/** A Map key such that equal Starlark values (1 == 1.0) share it and unequal ones never do. */
export function hashKey(v: Value): HashKey {
  if (typeof v === 'string') return 's' + v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return 'i' + v.toString();
  if (v === null) return 'N';
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (v instanceof Float) return floatKey(v.v);
  if (v instanceof Tuple) return 't' + JSON.stringify(v.elems.map(hashKey));
  if (v instanceof Bytes) return 'b' + v.data;
  if (v instanceof StarFunction || v instanceof Builtin) {
    let id = identityIds.get(v);
    if (id === undefined) identityIds.set(v, (id = nextIdentity++));
    return 'f' + id;
  }
  if (v instanceof Module) throw new StarlarkError('unhashable: module');
  if (v instanceof RangeValue) throw new StarlarkError('unhashable: range');
  if (v instanceof Struct) return 'S' + v.ctor + JSON.stringify([...v.fields].map(([k, f]) => [k, hashKey(f)]));
  throw new StarlarkError(`unhashable type: ${typeName(v)}`);
}

function floatKey(f: number): HashKey {
  if (Number.isInteger(f)) return Number.isSafeInteger(f) ? f : 'i' + BigInt(f).toString();
  return Number.isNaN(f) ? 'nan' : 'd' + f;
}
