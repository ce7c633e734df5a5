// The syntax tree. The resolver fills in each identifier's binding (`Ident.scope`/`index`/`depth`) and each
// function's local slot count, so the evaluator never looks a name up by string except for builtins.

import type { Pos } from './lexer.js';

export type Scope = 'local' | 'free' | 'global' | 'predeclared' | 'universal' | 'unresolved';

export interface Ident {
  kind: 'ident';
  pos: Pos;
  name: string;
  scope: Scope;
  /** Slot in the frame's locals (local/free) or in the module's globals (global). */
  index: number;
  /** For free variables: how many enclosing functions up the binding lives. */
  depth: number;
  /** A global bound by load: Go reports it as a local when unbound. */
  fileLocal?: boolean;
}

export type Expr =
  | Ident
  | { kind: 'literal'; pos: Pos; value: number | bigint | string; type: 'int' | 'float' | 'string' | 'bytes' }
  | { kind: 'list'; pos: Pos; elems: Expr[] }
  | { kind: 'tuple'; pos: Pos; elems: Expr[] }
  | { kind: 'dict'; pos: Pos; entries: Array<[Expr, Expr]> }
  | { kind: 'comprehension'; pos: Pos; curly: boolean; body: Expr | [Expr, Expr]; clauses: Clause[] }
  | { kind: 'unary'; pos: Pos; op: string; x: Expr }
  | { kind: 'binary'; pos: Pos; op: string; x: Expr; y: Expr }
  | { kind: 'cond'; pos: Pos; cond: Expr; then: Expr; else: Expr }
  | { kind: 'lambda'; pos: Pos; fn: FunctionDef }
  | { kind: 'call'; pos: Pos; fn: Expr; args: Arg[] }
  | { kind: 'dot'; pos: Pos; x: Expr; name: string }
  | { kind: 'index'; pos: Pos; x: Expr; index: Expr }
  | { kind: 'slice'; pos: Pos; x: Expr; lo?: Expr; hi?: Expr; step?: Expr }
  | { kind: 'paren'; pos: Pos; x: Expr };

export type Clause = { kind: 'for'; pos: Pos; vars: Expr; iter: Expr } | { kind: 'if'; pos: Pos; cond: Expr };

export type Arg =
  | { kind: 'positional'; value: Expr }
  | { kind: 'named'; name: string; pos: Pos; value: Expr }
  | { kind: 'star'; value: Expr }
  | { kind: 'starstar'; value: Expr };

export type Param =
  | { kind: 'required'; name: Ident }
  | { kind: 'optional'; name: Ident; default: Expr }
  | { kind: 'star'; name?: Ident; pos: Pos }
  | { kind: 'starstar'; name: Ident };

export interface FunctionDef {
  name: string;
  pos: Pos;
  params: Param[];
  body: Stmt[];
  /** Filled in by the resolver. */
  numLocals: number;
  /** Lambda bodies are a single expression returned. */
  isLambda: boolean;
}

export type Stmt =
  | { kind: 'expr'; pos: Pos; x: Expr }
  | { kind: 'assign'; pos: Pos; op: string; lhs: Expr; rhs: Expr }
  | { kind: 'if'; pos: Pos; cond: Expr; then: Stmt[]; else: Stmt[] }
  | { kind: 'for'; pos: Pos; vars: Expr; iter: Expr; body: Stmt[] }
  | { kind: 'while'; pos: Pos; cond: Expr; body: Stmt[] }
  | { kind: 'def'; pos: Pos; name: Ident; fn: FunctionDef }
  | { kind: 'return'; pos: Pos; x?: Expr }
  | { kind: 'branch'; pos: Pos; op: 'break' | 'continue' | 'pass' }
  | { kind: 'load'; pos: Pos; module: string; from: string[]; to: Ident[] };

export interface FileSyntax {
  filename: string;
  stmts: Stmt[];
  /** Locals of the module's top-level code (comprehension variables). */
  numLocals: number;
}

export function ident(name: string, pos: Pos): Ident {
  return { kind: 'ident', pos, name, scope: 'unresolved', index: -1, depth: 0 };
}
