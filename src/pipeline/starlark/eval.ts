// The tree-walking evaluator. A Thread counts execution steps (one per expression and statement, close to
// starlark-go's count of bytecode instructions) and stops the script past its limit; it also refuses
// recursion unless allowed, as starlark-go does, so no script can hang the server or exhaust its stack.

import type { Arg, Clause, Expr, FunctionDef, Ident, Stmt } from './ast.js';
import { bindArguments, suggest } from './arguments.js';
import { getAttr, setAttr } from './attributes.js';
import type { Pos } from './lexer.js';
import { binary, checkAlloc, getIndex, isIterable, iterate, setIndex, slice, toArray, truth, unary } from './ops.js';
import { Builtin, Bytes, Dict, Float, List, StarFunction, StarlarkError, StarSet, Tuple, typeName, type Env, type ModuleState, type ThreadLike, type Value } from './values.js';
import { repr } from './format.js';

export interface Frame {
  readonly name: string;
  readonly filename: string;
  pos: Pos;
  readonly fn?: StarFunction;
}

/** A run-time error with the call stack where it happened, innermost last. */
export class EvalError extends Error {
  constructor(
    readonly msg: string,
    readonly frames: Frame[],
  ) {
    const top = frames[frames.length - 1];
    super(top ? `${top.filename}:${top.pos.line}:${top.pos.col}: ${msg}` : msg);
    this.name = 'EvalError';
  }
}

export class CancelledError extends StarlarkError {}

export interface ThreadOptions {
  maxSteps?: number;
  /**
   * Wall-clock budget. Go's Starlark has none, but the server runs scripts on its one event loop, and a few
   * steps over large data (each a builtin over megabytes) could otherwise hold it for minutes.
   */
  timeLimitMs?: number;
  recursion?: boolean;
  print?: (msg: string) => void;
}

const MAX_DEPTH = 200;
/** Steps between looks at the clock (a builtin call looks too: one call may work over megabytes). */
const CLOCK_INTERVAL = 64;

/** How a statement ended, when not by falling through: a loop jump, or a `return` with its value. */
type Completion = undefined | 'break' | 'continue' | { returned: Value };

export class Thread implements ThreadLike {
  steps = 0;
  readonly stack: Frame[] = [];
  private readonly maxSteps: number;
  private readonly timeLimitMs: number;
  private readonly deadline: number;
  /** The step count at which the limits are next checked: the step limit, or sooner to look at the clock. */
  private checkAt = 0;
  private readonly recursion: boolean;
  private readonly printer: (msg: string) => void;

  constructor(options: ThreadOptions = {}) {
    this.maxSteps = options.maxSteps && options.maxSteps > 0 ? options.maxSteps : Infinity;
    this.timeLimitMs = options.timeLimitMs && options.timeLimitMs > 0 ? options.timeLimitMs : Infinity;
    this.deadline = performance.now() + this.timeLimitMs;
    this.recursion = options.recursion ?? false;
    this.printer = options.print ?? (() => {});
  }

  step(n = 1): void {
    this.steps += n;
    if (this.steps > this.checkAt) this.checkLimits();
  }

  private checkLimits(): void {
    if (this.steps > this.maxSteps) throw new CancelledError('Starlark computation cancelled: too many steps');
    if (performance.now() > this.deadline) throw new CancelledError(`Starlark computation cancelled: took longer than ${this.timeLimitMs} ms`);
    this.checkAt = Math.min(this.maxSteps, this.steps + CLOCK_INTERVAL);
  }

  /** Counts steps from zero again (Drone gives main the whole step budget, whatever the top level used). */
  resetSteps(): void {
    this.steps = 0;
    this.checkAt = 0;
  }

  print(msg: string): void {
    this.printer(msg);
  }

  private get frame(): Frame {
    return this.stack[this.stack.length - 1];
  }

  /** Runs a module's top-level statements. */
  execModule(stmts: Stmt[], numLocals: number, module: ModuleState): void {
    const env: Env = { vars: new Array(numLocals), parent: null };
    this.stack.push({ name: '<toplevel>', filename: module.filename, pos: stmts[0]?.pos ?? { line: 1, col: 1 } });
    try {
      this.execBlock(stmts, env, module);
    } catch (err) {
      throw this.wrap(err);
    } finally {
      this.stack.pop();
    }
  }

  private wrap(err: unknown): unknown {
    if (err instanceof StarlarkError) return new EvalError(err.message, this.stack.map((f) => ({ ...f, pos: { ...f.pos } })));
    if (err instanceof RangeError) {
      // The JS engine's own limits (stack depth, string length) end the script like any other error.
      const msg = /call stack/i.test(err.message) ? 'maximum recursion depth exceeded' : `out of memory: ${err.message}`;
      return new EvalError(msg, this.stack.map((f) => ({ ...f, pos: { ...f.pos } })));
    }
    return err;
  }

  /** Calls a function from the host (outside any Starlark frame), reporting errors with their position. */
  callTop(fn: Value, args: Value[]): Value {
    try {
      return this.call(fn, args, []);
    } catch (err) {
      throw this.wrap(err);
    }
  }

  call(fn: Value, args: Value[], kwargs: Array<[string, Value]>): Value {
    if (fn instanceof Builtin) {
      this.checkAt = this.steps;
      return fn.impl({ args, kwargs, thread: this, name: fn.name });
    }
    if (fn instanceof StarFunction) return this.callFunction(fn, args, kwargs);
    throw new StarlarkError(`invalid call of non-function (${typeName(fn)})`);
  }

  private callFunction(fn: StarFunction, args: Value[], kwargs: Array<[string, Value]>): Value {
    if (!this.recursion) {
      for (const f of this.stack) if (f.fn?.code === fn.code) throw new StarlarkError(`function ${fn.name} called recursively`);
    }
    if (this.stack.length > MAX_DEPTH) throw new StarlarkError('maximum recursion depth exceeded');
    const env: Env = { vars: new Array(fn.code.numLocals), parent: fn.env };
    bindArguments(fn, args, kwargs, env.vars);
    this.stack.push({ name: fn.name, filename: fn.module.filename, pos: fn.code.pos, fn });
    try {
      const code = fn.code;
      if (code.isLambda) {
        const ret = code.body[0];
        return ret.kind === 'return' && ret.x ? this.eval(ret.x, env, fn.module) : null;
      }
      const completion = this.execBlock(code.body, env, fn.module);
      return typeof completion === 'object' ? completion.returned : null;
    } catch (err) {
      if (err instanceof EvalError) throw err;
      throw this.wrap(err);
    } finally {
      this.stack.pop();
    }
  }

  // ---- statements ---------------------------------------------------------------------------------------

  private execBlock(stmts: Stmt[], env: Env, mod: ModuleState): Completion {
    for (const stmt of stmts) {
      const completion = this.exec(stmt, env, mod);
      if (completion !== undefined) return completion;
    }
    return undefined;
  }

  private exec(stmt: Stmt, env: Env, mod: ModuleState): Completion {
    this.step();
    const frame = this.frame;
    frame.pos = stmt.pos;
    switch (stmt.kind) {
      case 'expr':
        this.eval(stmt.x, env, mod);
        return;
      case 'assign':
        if (stmt.op === '=') this.assign(stmt.lhs, this.eval(stmt.rhs, env, mod), env, mod);
        else this.augmentedAssign(stmt.op.slice(0, -1), stmt.lhs, stmt.rhs, stmt.pos, env, mod);
        return;
      case 'if':
        return this.execBlock(truth(this.eval(stmt.cond, env, mod)) ? stmt.then : stmt.else, env, mod);
      case 'for': {
        const iterable = this.eval(stmt.iter, env, mod);
        frame.pos = stmt.pos;
        let exit: Completion;
        iterate(iterable, (x) => {
          this.step();
          this.assign(stmt.vars, x, env, mod);
          const completion = this.execBlock(stmt.body, env, mod);
          if (completion === 'break' || typeof completion === 'object') {
            exit = completion;
            return false;
          }
          return true;
        });
        return exit === 'break' ? undefined : exit;
      }
      case 'while':
        while (truth(this.eval(stmt.cond, env, mod))) {
          const completion = this.execBlock(stmt.body, env, mod);
          if (completion === 'break') break;
          if (typeof completion === 'object') return completion;
        }
        return;
      case 'def':
        this.assign(stmt.name, this.makeFunction(stmt.fn, env, mod), env, mod);
        return;
      case 'return':
        return { returned: stmt.x ? this.eval(stmt.x, env, mod) : null };
      case 'branch':
        return stmt.op === 'pass' ? undefined : stmt.op;
      case 'load': {
        if (!mod.load) throw new StarlarkError(`cannot load ${stmt.module}: starlark: cannot load external scripts`);
        const members = mod.load(stmt.module);
        stmt.to.forEach((id, i) => {
          const v = members.get(stmt.from[i]);
          if (v === undefined) {
            throw new StarlarkError(`load: name ${stmt.from[i]} not found in module ${stmt.module}${suggest(stmt.from[i], members.keys())}`);
          }
          this.setVar(id, v, env, mod);
        });
        return;
      }
    }
  }

  private makeFunction(def: FunctionDef, env: Env, mod: ModuleState): StarFunction {
    const defaults: Value[] = [];
    for (const p of def.params) if (p.kind === 'optional') defaults.push(this.eval(p.default, env, mod));
    return new StarFunction(def, defaults, env, mod);
  }

  private augmentedAssign(op: string, target: Expr, rhs: Expr, pos: Pos, env: Env, mod: ModuleState): void {
    let lhs = target;
    while (lhs.kind === 'paren') lhs = lhs.x;
    if (lhs.kind === 'index') {
      const x = this.eval(lhs.x, env, mod);
      const i = this.eval(lhs.index, env, mod);
      const old = getIndex(x, i);
      const v = this.eval(rhs, env, mod);
      this.frame.pos = pos;
      setIndex(x, i, this.inPlace(op, old, v));
      return;
    }
    if (lhs.kind === 'dot') {
      const x = this.eval(lhs.x, env, mod);
      const old = getAttr(x, lhs.name);
      const v = this.eval(rhs, env, mod);
      this.frame.pos = pos;
      setAttr(x, lhs.name, this.inPlace(op, old, v));
      return;
    }
    const old = this.eval(lhs, env, mod);
    const v = this.eval(rhs, env, mod);
    this.frame.pos = pos;
    this.assign(lhs, this.inPlace(op, old, v), env, mod);
  }

  /** `x += y` extends a list in place; every other augmented assignment is `x = x op y`. */
  private inPlace(op: string, old: Value, v: Value): Value {
    if (op === '+' && old instanceof List && isIterable(v)) {
      if (old.frozen) throw new StarlarkError('cannot apply += to frozen list');
      const items = toArray(v);
      old.checkMutable('apply += to');
      checkAlloc(old.elems.length + items.length, 'list +=');
      for (const item of items) old.elems.push(item);
      return old;
    }
    if (op === '|' && old instanceof Dict && !(old instanceof StarSet) && v instanceof Dict && !(v instanceof StarSet)) {
      for (const [k, x] of v.items()) old.set(k, x);
      return old;
    }
    return binary(op, old, v);
  }

  private assign(target: Expr, v: Value, env: Env, mod: ModuleState): void {
    switch (target.kind) {
      case 'ident':
        this.setVar(target, v, env, mod);
        return;
      case 'paren':
        this.assign(target.x, v, env, mod);
        return;
      case 'tuple':
      case 'list': {
        if (!isIterable(v)) throw new StarlarkError(`got ${typeName(v)} in sequence assignment`);
        const items = toArray(v);
        const n = target.elems.length;
        if (items.length > n) throw new StarlarkError(`too many values to unpack (got ${items.length}, want ${n})`);
        if (items.length < n) throw new StarlarkError(`too few values to unpack (got ${items.length}, want ${n})`);
        for (let i = 0; i < n; i++) this.assign(target.elems[i], items[i], env, mod);
        return;
      }
      case 'index': {
        const x = this.eval(target.x, env, mod);
        const i = this.eval(target.index, env, mod);
        setIndex(x, i, v);
        return;
      }
      case 'dot':
        setAttr(this.eval(target.x, env, mod), target.name, v);
        return;
      default:
        throw new StarlarkError(`can't assign to ${target.kind}`);
    }
  }

  private setVar(id: Ident, v: Value, env: Env, mod: ModuleState): void {
    switch (id.scope) {
      case 'local':
        env.vars[id.index] = v;
        return;
      case 'global':
        mod.globals[id.index] = v;
        return;
      case 'free': {
        let e: Env = env;
        for (let d = id.depth; d > 0; d--) e = e.parent!;
        e.vars[id.index] = v;
        return;
      }
      default:
        throw new StarlarkError(`cannot assign to ${id.name}`);
    }
  }

  // ---- expressions --------------------------------------------------------------------------------------

  eval(expr: Expr, env: Env, mod: ModuleState): Value {
    let e = expr;
    // Parentheses compile to nothing in Go, so they cost no step.
    while (e.kind === 'paren') e = e.x;
    if (++this.steps > this.checkAt) this.checkLimits();
    switch (e.kind) {
      case 'ident':
        return this.lookup(e, env, mod);
      case 'literal':
        return literal(e.value, e.type);
      case 'list':
        return new List(e.elems.map((x) => this.eval(x, env, mod)));
      case 'tuple':
        return new Tuple(e.elems.map((x) => this.eval(x, env, mod)));
      case 'dict': {
        const d = new Dict();
        for (const [k, v] of e.entries) {
          const key = this.eval(k, env, mod);
          const value = this.eval(v, env, mod);
          this.frame.pos = k.pos;
          if (d.has(key)) throw new StarlarkError(`duplicate key: ${repr(key)}`);
          d.set(key, value);
        }
        return d;
      }
      case 'comprehension':
        return this.comprehension(e.curly, e.body, e.clauses, env, mod);
      case 'unary': {
        const x = this.eval(e.x, env, mod);
        this.frame.pos = e.pos;
        return unary(e.op, x);
      }
      case 'binary':
        return this.binaryExpr(e.op, e.x, e.y, e.pos, env, mod);
      case 'cond':
        return truth(this.eval(e.cond, env, mod)) ? this.eval(e.then, env, mod) : this.eval(e.else, env, mod);
      case 'lambda':
        return this.makeFunction(e.fn, env, mod);
      case 'call':
        return this.callExpr(e.fn, e.args, e.pos, env, mod);
      case 'dot': {
        const x = this.eval(e.x, env, mod);
        this.frame.pos = e.pos;
        return getAttr(x, e.name);
      }
      case 'index': {
        const x = this.eval(e.x, env, mod);
        const i = this.eval(e.index, env, mod);
        this.frame.pos = e.pos;
        return getIndex(x, i);
      }
      case 'slice': {
        const x = this.eval(e.x, env, mod);
        const lo = e.lo ? this.eval(e.lo, env, mod) : null;
        const hi = e.hi ? this.eval(e.hi, env, mod) : null;
        const step = e.step ? this.eval(e.step, env, mod) : null;
        this.frame.pos = e.pos;
        return slice(x, lo, hi, step);
      }
    }
  }

  private lookup(id: Ident, env: Env, mod: ModuleState): Value {
    let v: Value | undefined;
    switch (id.scope) {
      case 'local':
        v = env.vars[id.index];
        if (v === undefined) this.unbound(id, 'local');
        return v;
      case 'free': {
        let e: Env = env;
        for (let d = id.depth; d > 0; d--) e = e.parent!;
        v = e.vars[id.index];
        if (v === undefined) this.unbound(id, 'local');
        return v;
      }
      case 'global':
        v = mod.globals[id.index];
        if (v === undefined) this.unbound(id, id.fileLocal ? 'local' : 'global');
        return v;
      default:
        v = mod.predeclared.get(id.name) ?? universeLookup(id.name);
        if (v === undefined) this.unbound(id, 'global');
        return v;
    }
  }

  private unbound(id: Ident, kind: string): never {
    this.frame.pos = id.pos;
    throw new StarlarkError(`${kind} variable ${id.name} referenced before assignment`);
  }

  private binaryExpr(op: string, xe: Expr, ye: Expr, pos: Pos, env: Env, mod: ModuleState): Value {
    const x = this.eval(xe, env, mod);
    if (op === 'and') return truth(x) ? this.eval(ye, env, mod) : x;
    if (op === 'or') return truth(x) ? x : this.eval(ye, env, mod);
    const y = this.eval(ye, env, mod);
    this.frame.pos = pos;
    return binary(op, x, y);
  }

  private callExpr(fnExpr: Expr, argExprs: Arg[], pos: Pos, env: Env, mod: ModuleState): Value {
    const fn = this.eval(fnExpr, env, mod);
    const args: Value[] = [];
    const kwargs: Array<[string, Value]> = [];
    for (const a of argExprs) {
      const v = this.eval(a.value, env, mod);
      switch (a.kind) {
        case 'positional':
          args.push(v);
          break;
        case 'named':
          kwargs.push([a.name, v]);
          break;
        case 'star':
          this.frame.pos = pos;
          if (!isIterable(v)) throw new StarlarkError(`argument after * must be iterable, not ${typeName(v)}`);
          for (const x of toArray(v)) args.push(x);
          break;
        case 'starstar':
          this.frame.pos = pos;
          if (!(v instanceof Dict)) throw new StarlarkError(`argument after ** must be a mapping, not ${typeName(v)}`);
          for (const [k, x] of v.items()) {
            if (typeof k !== 'string') throw new StarlarkError(`keywords must be strings, not ${typeName(k)}`);
            kwargs.push([k, x]);
          }
          break;
      }
    }
    this.frame.pos = pos;
    if (!(fn instanceof Builtin || fn instanceof StarFunction)) throw new StarlarkError(`invalid call of non-function (${typeName(fn)})`);
    return this.call(fn, args, kwargs);
  }

  private comprehension(curly: boolean, body: Expr | [Expr, Expr], clauses: Clause[], env: Env, mod: ModuleState): Value {
    const list = curly ? undefined : new List([]);
    const dict = curly ? new Dict() : undefined;
    const emit = (): void => {
      if (Array.isArray(body)) {
        const k = this.eval(body[0], env, mod);
        const v = this.eval(body[1], env, mod);
        this.frame.pos = body[0].pos;
        dict!.set(k, v);
      } else list!.elems.push(this.eval(body as Expr, env, mod));
    };
    const run = (i: number): void => {
      if (i === clauses.length) {
        emit();
        return;
      }
      const c = clauses[i];
      if (c.kind === 'if') {
        if (truth(this.eval(c.cond, env, mod))) run(i + 1);
        return;
      }
      const iterable = this.eval(c.iter, env, mod);
      this.frame.pos = c.pos;
      iterate(iterable, (x) => {
        this.step();
        this.assign(c.vars, x, env, mod);
        run(i + 1);
      });
    };
    run(0);
    return list ?? dict!;
  }
}


function literal(value: number | bigint | string, type: 'int' | 'float' | 'string' | 'bytes'): Value {
  switch (type) {
    case 'float':
      return new Float(value as number);
    case 'bytes':
      return new Bytes(value as string);
    default:
      return value;
  }
}

let universeLookup: (name: string) => Value | undefined = () => undefined;

/** builtins.ts registers the universe here. */
export function registerUniverse(lookup: (name: string) => Value | undefined): void {
  universeLookup = lookup;
}
