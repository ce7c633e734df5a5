// The Starlark scanner: a byte string (one UTF-8 byte per char code) → tokens, with Python's indentation rules
// (INDENT/OUTDENT at changes of indentation, newlines ignored inside brackets, `\` line continuations).

import { encodeUtf8, isAscii } from './utf8.js';

export interface Pos {
  line: number;
  col: number;
}

export type TokenKind = 'ident' | 'int' | 'float' | 'string' | 'bytes' | 'newline' | 'indent' | 'outdent' | 'eof' | 'op' | 'keyword';

export interface Token {
  kind: TokenKind;
  /** Operator or keyword text, identifier name, or string/bytes contents. */
  text: string;
  /** Numeric value of an int or float literal. */
  num?: number | bigint;
  pos: Pos;
}

export class StarlarkSyntaxError extends Error {
  constructor(
    readonly filename: string,
    readonly pos: Pos,
    readonly msg: string,
  ) {
    super(`${filename}:${pos.line}:${pos.col}: ${msg}`);
    this.name = 'StarlarkSyntaxError';
  }
}

const KEYWORDS = new Set(['and', 'break', 'continue', 'def', 'elif', 'else', 'for', 'if', 'in', 'lambda', 'load', 'not', 'or', 'pass', 'return', 'while']);

const OPERATORS = [
  '//=', '<<=', '>>=', '**',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '==', '!=', '<=', '>=', '<<', '>>', '//',
  '+', '-', '*', '/', '%', '&', '|', '^', '~', '<', '>', '=', '.', ',', ';', ':', '(', ')', '[', ']', '{', '}',
];

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function tokenize(src: string, filename: string): Token[] {
  return new Lexer(src, filename).run();
}

class Lexer {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private depth = 0;
  private readonly indents = [0];
  private readonly out: Token[] = [];
  /** Count of UTF-8 continuation bytes before each offset, when the file has any: Go counts columns in runes. */
  private readonly continuations: Int32Array | undefined;

  constructor(
    private readonly src: string,
    private readonly filename: string,
  ) {
    this.continuations = isAscii(src) ? undefined : continuationCounts(src);
  }

  private pos(at = this.i): Pos {
    const extra = this.continuations ? this.continuations[at] - this.continuations[this.lineStart] : 0;
    return { line: this.line, col: at - this.lineStart - extra + 1 };
  }

  private fail(msg: string, pos = this.pos()): never {
    throw new StarlarkSyntaxError(this.filename, pos, msg);
  }

  private emit(kind: TokenKind, text: string, pos: Pos, num?: number | bigint): void {
    this.out.push({ kind, text, pos, num });
  }

  private newline(): void {
    this.line++;
    this.lineStart = this.i;
  }

  run(): Token[] {
    let atLineStart = true;
    const src = this.src;
    while (true) {
      if (atLineStart && this.depth === 0) {
        atLineStart = this.indentation();
        if (atLineStart) continue;
      }
      const c = src.charCodeAt(this.i);
      if (this.i >= src.length) break;
      if (c === 32 || c === 9 || c === 13) {
        this.i++;
      } else if (c === 35) {
        while (this.i < src.length && src[this.i] !== '\n') this.i++;
      } else if (c === 10) {
        const pos = this.pos();
        this.i++;
        this.newline();
        if (this.depth === 0) {
          this.emit('newline', '', pos);
          atLineStart = true;
        }
      } else if (c === 92) {
        if (src[this.i + 1] === '\n') {
          this.i += 2;
          this.newline();
        } else if (src[this.i + 1] === '\r' && src[this.i + 2] === '\n') {
          this.i += 3;
          this.newline();
        } else this.fail('unexpected input character \'\\\'');
      } else if (isIdentStart(c)) {
        this.identOrString();
      } else if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(this.i + 1)))) {
        this.number();
      } else if (c === 34 || c === 39) {
        this.string(this.i, false, false);
      } else {
        this.operator();
      }
    }
    const end = this.pos();
    const last = this.out[this.out.length - 1];
    if (last && last.kind !== 'newline' && last.kind !== 'outdent') this.emit('newline', '', end);
    while (this.indents.length > 1) {
      this.indents.pop();
      this.emit('outdent', '', end);
    }
    this.emit('eof', '', end);
    return this.out;
  }

  /** Measures a line's indentation; true if the line was blank or a comment (and was consumed). */
  private indentation(): boolean {
    const src = this.src;
    let col = 0;
    while (this.i < src.length) {
      const ch = src[this.i];
      if (ch === ' ') col++;
      else if (ch === '\t') col += 8 - (col % 8);
      else if (ch !== '\r') break;
      this.i++;
    }
    const c = src[this.i];
    if (c === '#') {
      while (this.i < src.length && src[this.i] !== '\n') this.i++;
    }
    if (this.i >= src.length) return false;
    if (src[this.i] === '\n') {
      this.i++;
      this.newline();
      return true;
    }
    if (src[this.i] === '\\' && src[this.i + 1] === '\n') return false;
    const top = this.indents[this.indents.length - 1];
    if (col > top) {
      this.indents.push(col);
      this.emit('indent', '', this.pos());
    } else if (col < top) {
      while (col < this.indents[this.indents.length - 1]) {
        this.indents.pop();
        this.emit('outdent', '', this.pos());
      }
      if (col !== this.indents[this.indents.length - 1]) this.fail('unindent does not match any outer indentation level');
    }
    return false;
  }

  private identOrString(): void {
    const src = this.src;
    const start = this.i;
    const c0 = src[start];
    const c1 = src[start + 1];
    // string prefixes: r, b, rb, br
    if ((c0 === 'r' || c0 === 'b') && (c1 === '"' || c1 === "'")) {
      this.i++;
      this.string(start, c0 === 'r', c0 === 'b');
      return;
    }
    if (((c0 === 'r' && c1 === 'b') || (c0 === 'b' && c1 === 'r')) && (src[start + 2] === '"' || src[start + 2] === "'")) {
      this.i += 2;
      this.string(start, true, true);
      return;
    }
    while (this.i < src.length) {
      const c = src.charCodeAt(this.i);
      if (!isIdentStart(c) && !isDigit(c)) break;
      this.i++;
    }
    const word = src.slice(start, this.i);
    const pos = this.pos(start);
    if (KEYWORDS.has(word)) this.emit('keyword', word, pos);
    else this.emit('ident', word, pos);
  }

  private number(): void {
    const src = this.src;
    const start = this.i;
    const pos = this.pos();
    const rest = src.slice(start);
    const radix = /^0([xXoObB])/.exec(rest);
    if (radix) {
      const m = /^0[xXoObB][0-9a-zA-Z_]*/.exec(rest)![0];
      this.i += m.length;
      const digits = m.slice(2);
      const base = { x: 16, o: 8, b: 2 }[radix[1].toLowerCase() as 'x' | 'o' | 'b'];
      const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : /^[01]+$/;
      if (!valid.test(digits)) this.fail(`invalid int literal`, pos);
      this.emit('int', m, pos, toInt(BigInt(m.slice(0, 2).toLowerCase() + digits)));
      return;
    }
    const m = /^(\d*\.\d*([eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+)/.exec(rest)![0];
    this.i += m.length;
    if (/^\d+$/.test(m)) {
      if (m.length > 1 && m[0] === '0') {
        if (/^0+$/.test(m)) {
          this.emit('int', m, pos, 0);
          return;
        }
        this.fail('obsolete form of octal literal; use 0o' + m.replace(/^0+/, ''), pos);
      }
      this.emit('int', m, pos, toInt(BigInt(m)));
      return;
    }
    if (isIdentStart(src.charCodeAt(this.i))) this.fail('invalid float literal', pos);
    this.emit('float', m, pos, Number(m));
  }

  private string(start: number, raw: boolean, bytes: boolean): void {
    const src = this.src;
    const pos = this.pos(start);
    const quote = src[this.i];
    const triple = src.startsWith(quote.repeat(3), this.i);
    this.i += triple ? 3 : 1;
    let out = '';
    while (true) {
      if (this.i >= src.length) this.fail('unexpected EOF in string', pos);
      const ch = src[this.i];
      if (triple ? src.startsWith(quote.repeat(3), this.i) : ch === quote) {
        this.i += triple ? 3 : 1;
        break;
      }
      if (ch === '\n') {
        if (!triple) this.fail('unexpected newline in string', pos);
        out += ch;
        this.i++;
        this.newline();
        continue;
      }
      if (ch !== '\\') {
        out += ch;
        this.i++;
        continue;
      }
      out += this.escape(raw, bytes);
    }
    this.emit(bytes ? 'bytes' : 'string', out, pos);
  }

  private escape(raw: boolean, bytes: boolean): string {
    const src = this.src;
    const next = src[this.i + 1];
    if (next === '\n') {
      this.i += 2;
      this.newline();
      return raw ? '\\\n' : '';
    }
    if (raw) {
      this.i += 2;
      return next === undefined ? '\\' : '\\' + next;
    }
    const escPos = this.pos();
    if (next in ESCAPES) {
      this.i += 2;
      return ESCAPES[next];
    }
    if (next >= '0' && next <= '7') {
      const m = /^[0-7]{1,3}/.exec(src.slice(this.i + 1, this.i + 4))![0];
      this.i += 1 + m.length;
      const code = parseInt(m, 8);
      if (code > 255) this.fail(`octal escape value > 255: ${code}`, escPos);
      if (!bytes && code > 127) this.fail(`non-ASCII octal escape \\${m} (use \\u${code.toString(16).padStart(4, '0').toUpperCase()} for the UTF-8 encoding of U+${code.toString(16).padStart(4, '0').toUpperCase()})`, escPos);
      return String.fromCharCode(code);
    }
    if (next === 'x') {
      const m = src.slice(this.i + 2, this.i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(m)) this.fail('truncated escape sequence \\x' + m, escPos);
      this.i += 4;
      const code = parseInt(m, 16);
      if (!bytes && code > 127) this.fail(`non-ASCII hex escape \\x${m} (use \\u00${m.toUpperCase()} for the UTF-8 encoding of U+00${m.toUpperCase()})`, escPos);
      return String.fromCharCode(code);
    }
    if (next === 'u' || next === 'U') {
      const n = next === 'u' ? 4 : 8;
      const m = src.slice(this.i + 2, this.i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(m)) this.fail(`truncated escape sequence \\${next}${m}`, escPos);
      this.i += 2 + n;
      const code = parseInt(m, 16);
      if (code >= 0xd800 && code < 0xe000) this.fail(`invalid Unicode code point \\${next}${m}`, escPos);
      if (code > 0x10ffff) this.fail(`code point out of range: \\${next}${m} (max \\U00110000)`, escPos);
      return encodeUtf8(String.fromCodePoint(code));
    }
    this.fail(`invalid escape sequence \\${next}`, escPos);
  }

  private operator(): void {
    const src = this.src;
    const pos = this.pos();
    for (const op of OPERATORS) {
      if (src.startsWith(op, this.i)) {
        this.i += op.length;
        if (op === '(' || op === '[' || op === '{') this.depth++;
        else if (op === ')' || op === ']' || op === '}') this.depth = Math.max(0, this.depth - 1);
        this.emit('op', op, pos);
        return;
      }
    }
    if (src[this.i] === '!') this.fail("unexpected input character '!'", pos);
    this.fail(`unexpected input character '${src[this.i]}'`, pos);
  }
}

function continuationCounts(src: string): Int32Array {
  const counts = new Int32Array(src.length + 1);
  for (let i = 0; i < src.length; i++) counts[i + 1] = counts[i] + ((src.charCodeAt(i) & 0xc0) === 0x80 ? 1 : 0);
  return counts;
}

function toInt(b: bigint): number | bigint {
  return b <= 9007199254740991n ? Number(b) : b;
}
