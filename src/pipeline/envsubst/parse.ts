// The parser of drone/envsubst v1.0.3, which Drone's runners apply to the raw `.drone.yml` before parsing
// it as YAML. It is ported closely (scanner modes, escape rules, error texts) because its quirks decide
// what users' files turn into:
//
//   - only `${...}` is substituted; a bare `$NAME` stays as it is;
//   - `$$` is an escaped `$` (so `$${X}` becomes the text `${X}`);
//   - a backslash before `/` or `\` is dropped everywhere, inside and outside `${...}`.

export type Node = TextNode | FuncNode | ListNode;
export interface TextNode {
  kind: 'text';
  value: string;
}
export interface FuncNode {
  kind: 'func';
  param: string;
  name: string;
  args: Node[];
}
export interface ListNode {
  kind: 'list';
  nodes: Node[];
}

export class SubstitutionError extends Error {}

const errBadSubstitution = 'bad substitution';
const errMissingClosingBrace = 'missing closing brace';
const errParseVariableName = 'unable to parse variable name';
const errParseFuncSubstitution = 'unable to parse substitution within function';
const errParseDefaultFunction = 'unable to parse default function';

const EOF = '';

enum Token {
  Illegal,
  EOF,
  Ident,
  Lbrack,
  Rbrack,
}

// scanner modes
const SCAN_IDENT = 1;
const SCAN_LBRACK = 2;
const SCAN_RBRACK = 4;
const SCAN_ESCAPE = 8;

type Accept = (r: string, i: number) => boolean;

class Scanner {
  private buf: string[] = [];
  // Characters dropped by skip(); envsubst splices them out of its buffer, we only mark them so a file
  // full of `$$` does not cost a copy of the buffer each.
  private dropped = new Uint8Array(0);
  pos = 0;
  private start = 0;
  private width = 0;
  mode = 0;
  accept: Accept = () => true;

  init(text: string): void {
    this.buf = Array.from(text);
    this.dropped = new Uint8Array(this.buf.length);
    this.pos = 0;
    this.start = 0;
    this.width = 0;
  }

  read(): string {
    if (this.pos >= this.buf.length) {
      this.width = 0;
      return EOF;
    }
    this.width = 1;
    return this.buf[this.pos++];
  }

  unread(): void {
    this.pos -= this.width;
  }

  // Drops the character just read and consumes the one after it as plain text (this is how `$$` and `\/`
  // lose their first character).
  skip(): void {
    this.dropped[this.pos - 1] = 1;
    this.pos++;
  }

  peek(): string {
    const r = this.read();
    this.unread();
    return r;
  }

  text(): string {
    let out = '';
    for (let i = this.start; i < this.pos; i++) {
      if (this.dropped[i] === 0) out += this.buf[i];
    }
    return out;
  }

  scan(): Token {
    this.start = this.pos;
    const r = this.read();
    if (r === EOF) return Token.EOF;
    if (this.scanLbrack(r)) return Token.Lbrack;
    if (this.scanRbrack(r)) return Token.Rbrack;
    if (this.scanIdent(r)) return Token.Ident;
    return Token.Illegal;
  }

  private scanIdent(first: string): boolean {
    if ((this.mode & SCAN_IDENT) === 0) return false;
    if (this.scanEscaped(first)) {
      this.skip();
    } else if (!this.accept(first, this.pos - this.start)) {
      return false;
    }
    for (;;) {
      const r = this.read();
      if (r === EOF) {
        this.unread();
        break;
      }
      if (this.scanLbrack(r)) {
        this.unread();
        this.unread();
        break;
      }
      if (this.scanEscaped(r)) {
        this.skip();
        continue;
      }
      if (!this.accept(r, this.pos - this.start)) {
        this.unread();
        break;
      }
    }
    return true;
  }

  private scanLbrack(r: string): boolean {
    if ((this.mode & SCAN_LBRACK) === 0) return false;
    if (r === '$') {
      if (this.read() === '{') return true;
      this.unread();
    }
    return false;
  }

  private scanRbrack(r: string): boolean {
    if ((this.mode & SCAN_RBRACK) === 0) return false;
    return r === '}';
  }

  private scanEscaped(r: string): boolean {
    if ((this.mode & SCAN_ESCAPE) === 0) return false;
    if (r === '$' && this.peek() === '$') return true;
    if (r !== '\\') return false;
    const next = this.peek();
    return next === '/' || next === '\\';
  }
}

const acceptRune: Accept = () => true;
const acceptIdent: Accept = (r) => /^[\p{L}\p{Nd}_]$/u.test(r);
const acceptColon: Accept = (r) => r === ':';
const acceptOneHash: Accept = (r, i) => r === '#' && i === 1;
const acceptNotClosing: Accept = (r) => r !== '}';
const acceptHashFunc: Accept = (r, i) => r === '#' && i < 3;
const acceptPercentFunc: Accept = (r, i) => r === '%' && i < 3;
const acceptDefaultFunc: Accept = (r, i) =>
  (i === 1 && r === ':') || (i === 2 && (r === '=' || r === '-' || r === '?' || r === '+'));
const acceptReplaceFunc: Accept = (r, i) => (i === 1 && r === '/') || (i === 2 && (r === '/' || r === '#' || r === '%'));
const acceptOneEqual: Accept = (r, i) => i === 1 && r === '=';
const acceptOneColon: Accept = (r, i) => i === 1 && r === ':';
const rejectColonClose: Accept = (r) => r !== ':' && r !== '}';
const acceptSlash: Accept = (r) => r === '/';
const acceptNotSlash: Accept = (r) => r !== '/';
const acceptCasingFunc: Accept = (r, i) => (r === ',' || r === '^') && i < 3;

const EMPTY: TextNode = { kind: 'text', value: '' };

/** Parses substitution syntax; throws SubstitutionError with envsubst's message on bad input. */
export function parseSubstitution(text: string): Node {
  const parser = new Parser(text);
  return parser.parseAny();
}

class Parser {
  private readonly s = new Scanner();

  constructor(text: string) {
    this.s.init(text);
  }

  // Iterative form of envsubst's right-recursive parseAny (a 2 MiB file would overflow the stack).
  parseAny(): Node {
    const nodes: Node[] = [];
    for (;;) {
      this.s.accept = acceptRune;
      this.s.mode = SCAN_IDENT | SCAN_LBRACK | SCAN_ESCAPE;
      const token = this.s.scan();
      if (token === Token.Ident) {
        nodes.push({ kind: 'text', value: this.s.text() });
      } else if (token === Token.EOF) {
        break;
      } else if (token === Token.Lbrack) {
        nodes.push(this.parseFunc());
      } else {
        throw new SubstitutionError(errBadSubstitution);
      }
    }
    if (nodes.length === 0) return EMPTY;
    if (nodes.length === 1) return nodes[0];
    return { kind: 'list', nodes };
  }

  private parseFunc(): Node {
    if (this.s.peek() === '#') return this.parseLenFunc();
    this.s.accept = acceptIdent;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== Token.Ident) throw new SubstitutionError(errParseVariableName);
    const name = this.s.text();
    switch (this.s.peek()) {
      case ':':
        return this.parseDefaultOrSubstr(name);
      case '=':
        return this.parseDefaultFunc(name);
      case ',':
      case '^':
        return this.parseCasingFunc(name);
      case '/':
        return this.parseReplaceFunc(name);
      case '#':
        return this.parseRemoveFunc(name, acceptHashFunc);
      case '%':
        return this.parseRemoveFunc(name, acceptPercentFunc);
    }
    this.s.accept = acceptIdent;
    this.s.mode = SCAN_RBRACK;
    if (this.s.scan() !== Token.Rbrack) throw new SubstitutionError(errMissingClosingBrace);
    return { kind: 'func', param: name, name: '', args: [] };
  }

  private parseParam(accept: Accept, mode: number): Node {
    this.s.accept = accept;
    this.s.mode = mode | SCAN_LBRACK;
    switch (this.s.scan()) {
      case Token.Lbrack:
        return this.parseFunc();
      case Token.Ident:
      case Token.Rbrack:
        return { kind: 'text', value: this.s.text() };
      default:
        throw new SubstitutionError(errParseFuncSubstitution);
    }
  }

  private parseDefaultOrSubstr(name: string): Node {
    this.s.read();
    const r = this.s.peek();
    this.s.unread();
    if (r === '=' || r === '-' || r === '?' || r === '+') return this.parseDefaultFunc(name);
    return this.parseSubstrFunc(name);
  }

  private parseSubstrFunc(name: string): Node {
    const node: FuncNode = { kind: 'func', param: name, name: '', args: [] };
    this.s.accept = acceptOneColon;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== Token.Ident) throw new SubstitutionError(errBadSubstitution);
    node.name = this.s.text();
    node.args.push(this.parseParam(rejectColonClose, SCAN_IDENT));
    this.s.accept = acceptColon;
    this.s.mode = SCAN_IDENT | SCAN_RBRACK;
    const token = this.s.scan();
    if (token === Token.Rbrack) return node;
    if (token !== Token.Ident) throw new SubstitutionError(errBadSubstitution);
    node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    this.consumeRbrack();
    return node;
  }

  private parseRemoveFunc(name: string, accept: Accept): Node {
    const node: FuncNode = { kind: 'func', param: name, name: '', args: [] };
    this.s.accept = accept;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== Token.Ident) throw new SubstitutionError(errBadSubstitution);
    node.name = this.s.text();
    node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    this.consumeRbrack();
    return node;
  }

  private parseReplaceFunc(name: string): Node {
    const node: FuncNode = { kind: 'func', param: name, name: '', args: [] };
    this.s.accept = acceptReplaceFunc;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== Token.Ident) throw new SubstitutionError(errBadSubstitution);
    node.name = this.s.text();
    node.args.push(this.parseParam(acceptNotSlash, SCAN_IDENT | SCAN_ESCAPE));
    this.s.accept = acceptSlash;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== Token.Ident) throw new SubstitutionError(errBadSubstitution);
    if (this.s.peek() === '}') {
      this.consumeRbrack();
      return node;
    }
    node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT | SCAN_ESCAPE));
    this.consumeRbrack();
    return node;
  }

  private parseDefaultFunc(name: string): Node {
    const node: FuncNode = { kind: 'func', param: name, name: '', args: [] };
    this.s.accept = this.s.peek() === '=' ? acceptOneEqual : acceptDefaultFunc;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== Token.Ident) throw new SubstitutionError(errParseDefaultFunction);
    node.name = this.s.text();
    for (;;) {
      if (this.s.peek() === '}') {
        this.consumeRbrack();
        return node;
      }
      node.args.push(this.parseParam(acceptNotClosing, SCAN_IDENT));
    }
  }

  private parseCasingFunc(name: string): Node {
    const node: FuncNode = { kind: 'func', param: name, name: '', args: [] };
    this.s.accept = acceptCasingFunc;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== Token.Ident) throw new SubstitutionError(errBadSubstitution);
    node.name = this.s.text();
    this.consumeRbrack();
    return node;
  }

  private parseLenFunc(): Node {
    const node: FuncNode = { kind: 'func', param: '', name: '', args: [] };
    this.s.accept = acceptOneHash;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== Token.Ident) throw new SubstitutionError(errBadSubstitution);
    node.name = this.s.text();
    this.s.accept = acceptIdent;
    this.s.mode = SCAN_IDENT;
    if (this.s.scan() !== Token.Ident) throw new SubstitutionError(errBadSubstitution);
    node.param = this.s.text();
    this.consumeRbrack();
    return node;
  }

  private consumeRbrack(): void {
    this.s.mode = SCAN_RBRACK;
    if (this.s.scan() !== Token.Rbrack) throw new SubstitutionError(errBadSubstitution);
  }
}
