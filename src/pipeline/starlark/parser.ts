// Recursive-descent parser for the grammar of starlark-go's doc/spec.md.

import { ident, type Arg, type Clause, type Expr, type FileSyntax, type FunctionDef, type Ident, type Param, type Stmt } from './ast.js';
import { StarlarkSyntaxError, tokenize, type Pos, type Token } from './lexer.js';

const MAX_NESTING = 200;

/** Binary operator precedence, as in starlark-go's parser. */
const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  '==': 4, '!=': 4, '<': 4, '>': 4, '<=': 4, '>=': 4, in: 4, 'not in': 4,
  '|': 5,
  '^': 6,
  '&': 7,
  '<<': 8, '>>': 8,
  '+': 9, '-': 9,
  '*': 10, '/': 10, '//': 10, '%': 10,
};
const COMPARISON = 4;

const AUGMENTED = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '&=', '|=', '^=', '<<=', '>>=']);

export function parseFile(src: string, filename: string): FileSyntax {
  const p = new Parser(tokenize(src, filename), filename);
  return { filename, stmts: p.file(), numLocals: 0 };
}

class Parser {
  private i = 0;
  private nesting = 0;

  constructor(
    private readonly toks: Token[],
    private readonly filename: string,
  ) {}

  private get tok(): Token {
    return this.toks[this.i];
  }

  private kind(): Token['kind'] {
    return this.toks[this.i].kind;
  }

  private is(text: string): boolean {
    const t = this.tok;
    return (t.kind === 'op' || t.kind === 'keyword') && t.text === text;
  }

  private next(): Token {
    return this.toks[this.i++];
  }

  private fail(msg: string, pos: Pos = this.tok.pos): never {
    throw new StarlarkSyntaxError(this.filename, pos, msg);
  }

  private describe(t: Token): string {
    switch (t.kind) {
      case 'newline':
        return 'newline';
      case 'eof':
        return 'EOF';
      case 'indent':
        return 'indent';
      case 'outdent':
        return 'outdent';
      case 'ident':
        return t.text;
      case 'string':
        return 'string literal';
      case 'int':
      case 'float':
        return t.text;
      default:
        return t.text;
    }
  }

  private expect(text: string): Token {
    if (!this.is(text)) this.fail(`got ${this.describe(this.tok)}, want ${text}`);
    return this.next();
  }

  private identifier(): Ident {
    const t = this.tok;
    if (t.kind !== 'ident') this.fail(`got ${this.describe(t)}, want identifier`);
    this.i++;
    return ident(t.text, t.pos);
  }

  file(): Stmt[] {
    const stmts: Stmt[] = [];
    while (this.tok.kind !== 'eof') {
      if (this.tok.kind === 'newline') {
        this.i++;
        continue;
      }
      stmts.push(...this.statement());
    }
    return stmts;
  }

  private statement(): Stmt[] {
    const t = this.tok;
    if (t.kind === 'indent') this.fail('unexpected indent');
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'def':
          return [this.defStmt()];
        case 'if':
          return [this.ifStmt()];
        case 'for':
          return [this.forStmt()];
        case 'while': {
          this.i++;
          const cond = this.test();
          this.expect(':');
          return [{ kind: 'while', pos: t.pos, cond, body: this.suite() }];
        }
      }
    }
    return this.simpleStmt();
  }

  private defStmt(): Stmt {
    const pos = this.next().pos;
    const name = this.identifier();
    this.expect('(');
    const params = this.params(')');
    this.expect(')');
    this.expect(':');
    const fn: FunctionDef = { name: name.name, pos, params, body: this.suite(), numLocals: 0, isLambda: false };
    return { kind: 'def', pos, name, fn };
  }

  private params(end: string): Param[] {
    const params: Param[] = [];
    while (!this.is(end)) {
      if (params.length > 0) {
        this.expect(',');
        if (this.is(end)) break;
      }
      const pos = this.tok.pos;
      if (this.is('**')) {
        this.i++;
        params.push({ kind: 'starstar', name: this.identifier() });
      } else if (this.is('*')) {
        this.i++;
        params.push(this.tok.kind === 'ident' ? { kind: 'star', name: this.identifier(), pos } : { kind: 'star', pos });
      } else {
        const name = this.identifier();
        if (this.is('=')) {
          this.i++;
          params.push({ kind: 'optional', name, default: this.test() });
        } else params.push({ kind: 'required', name });
      }
    }
    return params;
  }

  private ifStmt(): Stmt {
    const pos = this.next().pos;
    const cond = this.test();
    this.expect(':');
    const then = this.suite();
    let elseBody: Stmt[] = [];
    if (this.is('elif')) {
      elseBody = [this.ifStmt()];
    } else if (this.is('else')) {
      this.i++;
      this.expect(':');
      elseBody = this.suite();
    }
    return { kind: 'if', pos, cond, then, else: elseBody };
  }

  private forStmt(): Stmt {
    const pos = this.next().pos;
    const vars = this.loopVariables();
    this.expect('in');
    const iter = this.expression();
    this.expect(':');
    return { kind: 'for', pos, vars, iter, body: this.suite() };
  }

  private loopVariables(): Expr {
    return this.tupleOf(() => this.primaryWithSuffix(), () => this.is('in'));
  }

  /** item {',' item} [',']: a bare tuple when a comma follows the first item. */
  private tupleOf(item: () => Expr, endsList: () => boolean): Expr {
    const pos = this.tok.pos;
    const first = item();
    if (!this.is(',')) return first;
    const elems = [first];
    while (this.is(',')) {
      this.i++;
      if (endsList()) break;
      elems.push(item());
    }
    return { kind: 'tuple', pos, elems };
  }

  private suite(): Stmt[] {
    if (this.tok.kind !== 'newline') return this.simpleStmt();
    this.i++;
    const indent: Token = this.tok;
    if (indent.kind !== 'indent') this.fail(`got ${this.describe(indent)}, want indent`);
    this.i++;
    const body: Stmt[] = [];
    while (this.kind() !== 'outdent' && this.kind() !== 'eof') body.push(...this.statement());
    if (this.kind() === 'outdent') this.i++;
    return body;
  }

  private simpleStmt(): Stmt[] {
    const stmts: Stmt[] = [this.smallStmt()];
    while (this.is(';')) {
      this.i++;
      if (this.tok.kind === 'newline' || this.tok.kind === 'eof') break;
      stmts.push(this.smallStmt());
    }
    if (this.tok.kind === 'eof') return stmts;
    if (this.tok.kind !== 'newline') this.fail(`got ${this.describe(this.tok)}, want newline`);
    this.i++;
    return stmts;
  }

  private smallStmt(): Stmt {
    const t = this.tok;
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'return': {
          this.i++;
          const end = this.tok.kind === 'newline' || this.tok.kind === 'eof' || this.is(';');
          return { kind: 'return', pos: t.pos, x: end ? undefined : this.expression() };
        }
        case 'break':
        case 'continue':
        case 'pass':
          this.i++;
          return { kind: 'branch', pos: t.pos, op: t.text };
        case 'load':
          return this.loadStmt();
      }
    }
    const pos = t.pos;
    const x = this.expression();
    const op = this.tok;
    if (op.kind === 'op' && (op.text === '=' || AUGMENTED.has(op.text))) {
      this.i++;
      return { kind: 'assign', pos: op.pos, op: op.text, lhs: x, rhs: this.expression() };
    }
    return { kind: 'expr', pos, x };
  }

  private loadStmt(): Stmt {
    const pos = this.next().pos;
    this.expect('(');
    if (this.tok.kind !== 'string') this.fail(`first operand of load statement must be a string literal`);
    const module = this.next().text;
    const from: string[] = [];
    const to: Ident[] = [];
    while (this.is(',')) {
      this.i++;
      if (this.is(')')) break;
      if (this.tok.kind === 'string') {
        const t = this.next();
        from.push(t.text);
        to.push(ident(t.text, t.pos));
      } else {
        const local = this.identifier();
        this.expect('=');
        if (this.tok.kind !== 'string') this.fail('load operand must be "name" or localname="name"');
        from.push(this.next().text);
        to.push(local);
      }
    }
    this.expect(')');
    if (to.length === 0) this.fail('load statement must import at least 1 symbol', pos);
    return { kind: 'load', pos, module, from, to };
  }

  /** Expression = Test {',' Test}. */
  private expression(): Expr {
    return this.tupleOf(() => this.test(), () => this.endsExpressionList());
  }

  private endsExpressionList(): boolean {
    const t = this.tok;
    if (t.kind === 'newline' || t.kind === 'eof') return true;
    return t.kind === 'op' && ['=', ')', ']', '}', ';', ':'].includes(t.text) || (t.kind === 'op' && AUGMENTED.has(t.text));
  }

  test(): Expr {
    if (this.is('lambda')) return this.lambda(true);
    const x = this.binary(0);
    if (this.is('if')) {
      const pos = this.next().pos;
      const cond = this.binary(0);
      if (!this.is('else')) this.fail(`conditional expression without else clause`);
      this.i++;
      return { kind: 'cond', pos, cond, then: x, else: this.test() };
    }
    return x;
  }

  private testNoCond(): Expr {
    if (this.is('lambda')) return this.lambda(false);
    return this.binary(0);
  }

  private lambda(allowCond: boolean): Expr {
    const pos = this.next().pos;
    const params = this.params(':');
    this.expect(':');
    const body = allowCond ? this.test() : this.testNoCond();
    const fn: FunctionDef = { name: 'lambda', pos, params, body: [{ kind: 'return', pos: body.pos, x: body }], numLocals: 0, isLambda: true };
    return { kind: 'lambda', pos, fn };
  }

  private binary(minPrec: number): Expr {
    this.enter();
    let x: Expr;
    if (this.is('not')) {
      const pos = this.next().pos;
      x = { kind: 'unary', pos, op: 'not', x: this.binary(3) };
    } else x = this.unary();
    let lastComparison: string | undefined;
    while (true) {
      const op = this.binaryOp();
      if (op === undefined) break;
      const prec = PRECEDENCE[op];
      if (prec <= minPrec) break;
      if (prec === COMPARISON && lastComparison !== undefined) {
        this.fail(`${lastComparison} does not associate with ${op} (use parens)`);
      }
      const pos = this.tok.pos;
      this.i += op === 'not in' ? 2 : 1;
      const y = this.binary(prec);
      x = { kind: 'binary', pos, op, x, y };
      lastComparison = prec === COMPARISON ? op : undefined;
    }
    this.nesting--;
    return x;
  }

  private binaryOp(): string | undefined {
    const t = this.tok;
    if (t.kind === 'keyword') {
      if (t.text === 'not') {
        const n = this.toks[this.i + 1];
        return n.kind === 'keyword' && n.text === 'in' ? 'not in' : undefined;
      }
      return t.text === 'and' || t.text === 'or' || t.text === 'in' ? t.text : undefined;
    }
    return t.kind === 'op' && t.text in PRECEDENCE ? t.text : undefined;
  }

  private enter(): void {
    if (++this.nesting > MAX_NESTING) this.fail('expression nesting too deep');
  }

  private unary(): Expr {
    if (this.is('-') || this.is('+') || this.is('~')) {
      const t = this.next();
      this.enter();
      const x = this.unary();
      this.nesting--;
      return { kind: 'unary', pos: t.pos, op: t.text, x };
    }
    return this.primaryWithSuffix();
  }

  private primaryWithSuffix(): Expr {
    let x = this.operand();
    while (true) {
      if (this.is('.')) {
        const pos = this.next().pos;
        const name = this.identifier();
        x = { kind: 'dot', pos, x, name: name.name };
      } else if (this.is('(')) {
        const pos = this.next().pos;
        const args = this.args();
        this.expect(')');
        x = { kind: 'call', pos, fn: x, args };
      } else if (this.is('[')) {
        x = this.sliceSuffix(x);
      } else return x;
    }
  }

  private sliceSuffix(x: Expr): Expr {
    const pos = this.next().pos;
    let lo: Expr | undefined;
    if (!this.is(':')) {
      const index = this.expression();
      if (this.is(']')) {
        this.i++;
        return { kind: 'index', pos, x, index };
      }
      lo = index;
    }
    this.expect(':');
    const hi = this.is(':') || this.is(']') ? undefined : this.test();
    let step: Expr | undefined;
    if (this.is(':')) {
      this.i++;
      if (!this.is(']')) step = this.test();
    }
    this.expect(']');
    return { kind: 'slice', pos, x, lo, hi, step };
  }

  private args(): Arg[] {
    const args: Arg[] = [];
    while (!this.is(')')) {
      if (args.length > 0) {
        this.expect(',');
        if (this.is(')')) break;
      }
      if (this.is('**')) {
        this.i++;
        args.push({ kind: 'starstar', value: this.test() });
      } else if (this.is('*')) {
        this.i++;
        args.push({ kind: 'star', value: this.test() });
      } else if (this.tok.kind === 'ident' && this.toks[this.i + 1].kind === 'op' && this.toks[this.i + 1].text === '=') {
        const name = this.next();
        this.i++;
        args.push({ kind: 'named', name: name.text, pos: name.pos, value: this.test() });
      } else {
        const value = this.test();
        if (this.is('for')) this.fail('function call with unparenthesized comprehension is not supported');
        args.push({ kind: 'positional', value });
      }
    }
    return args;
  }

  private operand(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'ident':
        this.i++;
        return ident(t.text, t.pos);
      case 'int':
      case 'float':
        this.i++;
        return { kind: 'literal', pos: t.pos, value: t.num!, type: t.kind };
      case 'string':
      case 'bytes':
        this.i++;
        return { kind: 'literal', pos: t.pos, value: t.text, type: t.kind };
    }
    if (this.is('(')) {
      this.i++;
      this.enter();
      if (this.is(')')) {
        this.i++;
        this.nesting--;
        return { kind: 'tuple', pos: t.pos, elems: [] };
      }
      const x = this.expression();
      this.expect(')');
      this.nesting--;
      return { kind: 'paren', pos: t.pos, x };
    }
    if (this.is('[')) return this.listOrComprehension();
    if (this.is('{')) return this.dictOrComprehension();
    this.fail(`got ${this.describe(t)}, want primary expression`);
  }

  private listOrComprehension(): Expr {
    const pos = this.next().pos;
    this.enter();
    const elems: Expr[] = [];
    while (!this.is(']')) {
      if (elems.length > 0) {
        this.expect(',');
        if (this.is(']')) break;
      }
      elems.push(this.test());
      if (elems.length === 1 && this.is('for')) {
        const clauses = this.clauses();
        this.expect(']');
        this.nesting--;
        return { kind: 'comprehension', pos, curly: false, body: elems[0], clauses };
      }
    }
    this.expect(']');
    this.nesting--;
    return { kind: 'list', pos, elems };
  }

  private dictOrComprehension(): Expr {
    const pos = this.next().pos;
    this.enter();
    const entries: Array<[Expr, Expr]> = [];
    while (!this.is('}')) {
      if (entries.length > 0) {
        this.expect(',');
        if (this.is('}')) break;
      }
      const k = this.test();
      this.expect(':');
      const v = this.test();
      entries.push([k, v]);
      if (entries.length === 1 && this.is('for')) {
        const clauses = this.clauses();
        this.expect('}');
        this.nesting--;
        return { kind: 'comprehension', pos, curly: true, body: [k, v], clauses };
      }
    }
    this.expect('}');
    this.nesting--;
    return { kind: 'dict', pos, entries };
  }

  private clauses(): Clause[] {
    const clauses: Clause[] = [];
    while (true) {
      if (this.is('for')) {
        const pos = this.next().pos;
        const vars = this.loopVariables();
        this.expect('in');
        clauses.push({ kind: 'for', pos, vars, iter: this.testNoCond() });
      } else if (this.is('if')) {
        const pos = this.next().pos;
        clauses.push({ kind: 'if', pos, cond: this.testNoCond() });
      } else return clauses;
    }
  }
}
