// Static name resolution, as starlark-go's resolver does it before any code runs: every identifier becomes a
// local slot, a free variable of an enclosing function, a global, a predeclared or a universal name, and the
// dialect's rules (no reassigned globals, no top-level control flow, no while/recursion, no set) are enforced
// unless the corresponding option is on.

import type { Arg, Clause, Expr, FileSyntax, FunctionDef, Ident, Param, Stmt } from './ast.js';
import { StarlarkSyntaxError, type Pos } from './lexer.js';

export interface ResolveOptions {
  /** while loops (recursion is checked at run time by the evaluator). */
  recursion?: boolean;
  set?: boolean;
  /** Reassignment of globals and if/for at top level. */
  globalReassign?: boolean;
  loadBindsGlobally?: boolean;
}

interface Binding {
  scope: 'local' | 'global';
  index: number;
  pos: Pos;
}

interface FunctionScope {
  parent: Block | null;
  numLocals: number;
  isModule: boolean;
}

interface Block {
  fn: FunctionScope;
  parent: Block | null;
  bindings: Map<string, Binding>;
}

export interface ResolvedFile {
  globalNames: string[];
}

export function resolveFile(
  file: FileSyntax,
  isPredeclared: (name: string) => boolean,
  isUniversal: (name: string) => boolean,
  options: ResolveOptions,
): ResolvedFile {
  const r = new Resolver(file.filename, isPredeclared, isUniversal, options);
  return r.file(file);
}

class Resolver {
  private readonly globals = new Map<string, Binding>();
  private readonly globalNames: string[] = [];
  /** Names bound by load, which Go keeps in a file-local scope (only the error wording differs here). */
  private readonly fileLocals = new Set<string>();
  private loopDepth = 0;

  constructor(
    private readonly filename: string,
    private readonly isPredeclared: (name: string) => boolean,
    private readonly isUniversal: (name: string) => boolean,
    private readonly options: ResolveOptions,
  ) {}

  private fail(pos: Pos, msg: string): never {
    throw new StarlarkSyntaxError(this.filename, pos, msg);
  }

  file(file: FileSyntax): ResolvedFile {
    const fn: FunctionScope = { parent: null, numLocals: 0, isModule: true };
    const block: Block = { fn, parent: null, bindings: this.globals };
    for (const stmt of file.stmts) this.bindModuleStmt(stmt);
    this.stmts(file.stmts, block);
    file.numLocals = fn.numLocals;
    return { globalNames: this.globalNames };
  }

  /** Module level: globals are declared in order, so reassignment can be detected. */
  private bindModuleStmt(stmt: Stmt): void {
    switch (stmt.kind) {
      case 'assign':
        if (stmt.op === '=') this.forEachTarget(stmt.lhs, (id) => this.declareGlobal(id));
        else if (unparen(stmt.lhs).kind === 'ident') this.forEachTarget(stmt.lhs, (id) => this.declareGlobal(id));
        break;
      case 'def':
        this.declareGlobal(stmt.name);
        break;
      case 'for':
        if (!this.options.globalReassign) this.fail(stmt.pos, 'for loop not within a function');
        this.forEachTarget(stmt.vars, (id) => this.declareGlobal(id));
        for (const s of stmt.body) this.bindModuleStmt(s);
        break;
      case 'if':
        if (!this.options.globalReassign) this.fail(stmt.pos, 'if statement not within a function');
        for (const s of [...stmt.then, ...stmt.else]) this.bindModuleStmt(s);
        break;
      case 'while':
        this.checkWhile(stmt.pos);
        this.fail(stmt.pos, 'while loop not within a function');
        break;
      case 'load':
        for (const id of stmt.to) {
          this.declareGlobal(id);
          if (!this.options.loadBindsGlobally) this.fileLocals.add(id.name);
        }
        break;
      default:
        break;
    }
  }

  private checkWhile(pos: Pos): void {
    if (!this.options.recursion) this.fail(pos, 'this Starlark dialect does not support while loops');
  }

  private declareGlobal(id: Ident): void {
    const existing = this.globals.get(id.name);
    if (existing) {
      if (!this.options.globalReassign) {
        this.fail(id.pos, `cannot reassign global ${id.name} declared at ${this.filename}:${existing.pos.line}:${existing.pos.col}`);
      }
      return;
    }
    this.globals.set(id.name, { scope: 'global', index: this.globalNames.length, pos: id.pos });
    this.globalNames.push(id.name);
  }

  /** Visits the names an assignment target binds; `other` sees its element and field targets (x[i], x.f). */
  private forEachTarget(target: Expr, visit: (id: Ident) => void, other: (e: Expr) => void = () => {}): void {
    switch (target.kind) {
      case 'ident':
        visit(target);
        return;
      case 'tuple':
      case 'list':
        for (const e of target.elems) this.forEachTarget(e, visit, other);
        return;
      case 'paren':
        this.forEachTarget(target.x, visit, other);
        return;
      case 'index':
      case 'dot':
        other(target);
        return;
      default:
        this.fail(target.pos, `can't assign to ${describeTarget(target)}`);
    }
  }

  private declareLocal(block: Block, id: Ident): void {
    if (block.bindings.has(id.name)) return;
    block.bindings.set(id.name, { scope: 'local', index: block.fn.numLocals++, pos: id.pos });
  }

  /** Function bodies: every name bound anywhere in the body (outside nested functions) is local. */
  private bindFunctionStmts(stmts: Stmt[], block: Block): void {
    for (const stmt of stmts) {
      switch (stmt.kind) {
        case 'assign':
          if (stmt.op === '=' || unparen(stmt.lhs).kind === 'ident') this.forEachTarget(stmt.lhs, (id) => this.declareLocal(block, id));
          break;
        case 'def':
          this.declareLocal(block, stmt.name);
          break;
        case 'for':
          this.forEachTarget(stmt.vars, (id) => this.declareLocal(block, id));
          this.bindFunctionStmts(stmt.body, block);
          break;
        case 'while':
          this.bindFunctionStmts(stmt.body, block);
          break;
        case 'if':
          this.bindFunctionStmts(stmt.then, block);
          this.bindFunctionStmts(stmt.else, block);
          break;
        default:
          break;
      }
    }
  }

  private stmts(stmts: Stmt[], block: Block): void {
    for (const stmt of stmts) this.stmt(stmt, block);
  }

  private stmt(stmt: Stmt, block: Block): void {
    switch (stmt.kind) {
      case 'expr':
        this.expr(stmt.x, block);
        return;
      case 'assign':
        this.expr(stmt.rhs, block);
        if (stmt.op !== '=' && !['ident', 'index', 'dot'].includes(unparen(stmt.lhs).kind)) {
          this.fail(stmt.pos, `can't use ${describeTarget(stmt.lhs)} expression in augmented assignment`);
        }
        this.target(stmt.lhs, block);
        return;
      case 'if':
        this.expr(stmt.cond, block);
        this.stmts(stmt.then, block);
        this.stmts(stmt.else, block);
        return;
      case 'for':
        this.expr(stmt.iter, block);
        this.target(stmt.vars, block);
        this.loop(stmt.body, block);
        return;
      case 'while':
        this.checkWhile(stmt.pos);
        this.expr(stmt.cond, block);
        this.loop(stmt.body, block);
        return;
      case 'def':
        this.params(stmt.fn.params, block);
        this.use(stmt.name, block);
        this.function(stmt.fn, block);
        return;
      case 'return':
        if (block.fn.isModule) this.fail(stmt.pos, 'return statement not within a function');
        if (stmt.x) this.expr(stmt.x, block);
        return;
      case 'branch':
        if (stmt.op !== 'pass' && this.loopDepth === 0) this.fail(stmt.pos, `${stmt.op} not in a loop`);
        return;
      case 'load':
        if (!block.fn.isModule) this.fail(stmt.pos, 'load statement within a function');
        for (const id of stmt.to) {
          if (id.name.startsWith('_')) this.fail(id.pos, `load: names with leading underscores are not exported: ${id.name}`);
          this.use(id, block);
        }
        return;
    }
  }

  private loop(body: Stmt[], block: Block): void {
    this.loopDepth++;
    this.stmts(body, block);
    this.loopDepth--;
  }

  private target(target: Expr, block: Block): void {
    this.forEachTarget(target, (id) => this.use(id, block), (e) => this.expr(e, block));
  }

  private params(params: Param[], block: Block): void {
    for (const p of params) if (p.kind === 'optional') this.expr(p.default, block);
  }

  private function(fn: FunctionDef, outer: Block): void {
    const scope: FunctionScope = { parent: outer, numLocals: 0, isModule: false };
    const block: Block = { fn: scope, parent: null, bindings: new Map() };
    this.checkParams(fn);
    for (const p of fn.params) {
      if (p.kind === 'star' && !p.name) continue;
      const id = p.name!;
      if (block.bindings.has(id.name)) this.fail(id.pos, `duplicate parameter: ${id.name}`);
      this.declareLocal(block, id);
      this.use(id, block);
    }
    this.bindFunctionStmts(fn.body, block);
    const savedLoop = this.loopDepth;
    this.loopDepth = 0;
    this.stmts(fn.body, block);
    this.loopDepth = savedLoop;
    fn.numLocals = scope.numLocals;
  }

  private checkParams(fn: FunctionDef): void {
    let seenOptional = false;
    let seenStar = false;
    let seenStarStar = false;
    for (const [i, p] of fn.params.entries()) {
      const pos = p.kind === 'star' ? p.pos : p.name.pos;
      if (seenStarStar) this.fail(pos, 'parameter may not follow **kwargs');
      if (p.kind === 'star') {
        if (seenStar) this.fail(pos, 'multiple * parameters not allowed');
        seenStar = true;
        if (!p.name && (i === fn.params.length - 1 || fn.params[i + 1].kind === 'starstar')) {
          this.fail(pos, 'bare * must be followed by keyword-only parameters');
        }
      } else if (p.kind === 'starstar') seenStarStar = true;
      else if (p.kind === 'optional') seenOptional = true;
      else if (!seenStar && seenOptional) this.fail(pos, 'required parameter may not follow optional');
    }
  }

  private expr(e: Expr, block: Block): void {
    switch (e.kind) {
      case 'ident':
        this.use(e, block);
        return;
      case 'literal':
        return;
      case 'list':
      case 'tuple':
        for (const x of e.elems) this.expr(x, block);
        return;
      case 'dict':
        for (const [k, v] of e.entries) {
          this.expr(k, block);
          this.expr(v, block);
        }
        return;
      case 'comprehension':
        this.comprehension(e.clauses, e.body, block);
        return;
      case 'unary':
        this.expr(e.x, block);
        return;
      case 'binary':
        this.expr(e.x, block);
        this.expr(e.y, block);
        return;
      case 'cond':
        this.expr(e.cond, block);
        this.expr(e.then, block);
        this.expr(e.else, block);
        return;
      case 'lambda':
        this.params(e.fn.params, block);
        this.function(e.fn, block);
        return;
      case 'call':
        this.expr(e.fn, block);
        this.args(e.args, block);
        return;
      case 'dot':
      case 'paren':
        this.expr(e.x, block);
        return;
      case 'index':
        this.expr(e.x, block);
        this.expr(e.index, block);
        return;
      case 'slice':
        this.expr(e.x, block);
        for (const part of [e.lo, e.hi, e.step]) if (part) this.expr(part, block);
        return;
    }
  }

  private args(args: Arg[], block: Block): void {
    let seenNamed = false;
    let seenStar = false;
    let seenStarStar = false;
    const names = new Set<string>();
    for (const a of args) {
      const pos = a.value.pos;
      if (a.kind === 'positional') {
        if (seenStarStar) this.fail(pos, 'positional argument may not follow **kwargs');
        if (seenStar) this.fail(pos, 'positional argument may not follow *args');
        if (seenNamed) this.fail(pos, 'positional argument may not follow named');
      } else if (a.kind === 'named') {
        if (seenStarStar) this.fail(a.pos, 'keyword argument may not follow **kwargs');
        if (names.has(a.name)) this.fail(a.pos, `keyword argument "${a.name}" is repeated`);
        names.add(a.name);
        seenNamed = true;
      } else if (a.kind === 'star') {
        if (seenStarStar) this.fail(pos, '*args may not follow **kwargs');
        if (seenStar) this.fail(pos, 'multiple *args not allowed');
        seenStar = true;
      } else {
        if (seenStarStar) this.fail(pos, 'multiple **kwargs not allowed');
        seenStarStar = true;
      }
      this.expr(a.value, block);
    }
  }

  private comprehension(clauses: Clause[], body: Expr | [Expr, Expr], outer: Block): void {
    // The first iterable is evaluated in the enclosing block; everything else in the comprehension's own block.
    const first = clauses[0];
    if (first.kind === 'for') this.expr(first.iter, outer);
    // One lexical block for all clauses: every loop variable is bound before any name in it is resolved.
    const block: Block = { fn: outer.fn, parent: outer, bindings: new Map() };
    for (const c of clauses) if (c.kind === 'for') this.forEachTarget(c.vars, (id) => this.declareLocal(block, id));
    for (const [i, c] of clauses.entries()) {
      if (c.kind === 'for') {
        if (i > 0) this.expr(c.iter, block);
        this.target(c.vars, block);
      } else this.expr(c.cond, block);
    }
    if (Array.isArray(body)) {
      this.expr(body[0], block);
      this.expr(body[1], block);
    } else this.expr(body, block);
  }

  private use(id: Ident, block: Block): void {
    let depth = 0;
    let b: Block | null = block;
    let fn = block.fn;
    while (b) {
      const binding = b.bindings.get(id.name);
      if (binding && !(fn.isModule && binding.scope === 'global')) {
        id.scope = depth === 0 ? 'local' : 'free';
        id.index = binding.index;
        id.depth = depth;
        return;
      }
      if (b.parent) b = b.parent;
      else {
        const parent: Block | null = b.fn.parent;
        if (!parent) break;
        depth++;
        fn = parent.fn;
        b = parent;
      }
    }
    const global = this.globals.get(id.name);
    if (global) {
      id.scope = 'global';
      id.index = global.index;
      id.fileLocal = this.fileLocals.has(id.name);
      return;
    }
    if (this.isPredeclared(id.name)) {
      id.scope = 'predeclared';
      return;
    }
    if (id.name === 'set' && !this.options.set) this.fail(id.pos, 'this Starlark dialect does not support set');
    if (this.isUniversal(id.name)) {
      id.scope = 'universal';
      return;
    }
    this.fail(id.pos, `undefined: ${id.name}`);
  }
}

function unparen(e: Expr): Expr {
  return e.kind === 'paren' ? unparen(e.x) : e;
}

function describeTarget(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return 'literal';
    case 'call':
      return 'function call';
    case 'binary':
    case 'unary':
      return 'operator';
    case 'comprehension':
      return e.curly ? 'dict comprehension' : 'list comprehension';
    case 'dict':
      return 'dict literal';
    case 'lambda':
      return 'lambda';
    case 'cond':
      return 'conditional expression';
    case 'slice':
      return 'slice';
    default:
      return 'expression';
  }
}
