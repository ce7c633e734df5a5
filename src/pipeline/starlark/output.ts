// Drone's writer (plugin/converter/starlark/write.go): a Starlark value → JSON text (which is YAML), byte for
// byte as Drone writes it, since signatures of protected repositories are computed over these bytes.

import { goFormatFloat, goQuote } from '../internal/go-format.js';
import { decodeRuneAt, decodeUtf8, encodeUtf8 } from './utf8.js';
import { Dict, Float, List, RangeValue, StarlarkError, StarSet, Tuple, typeName, type Value } from './values.js';
import { repr } from './format.js';

export function writeJson(v: Value, out: string[] = []): string[] {
  if (v === null) out.push('null');
  else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
  else if (typeof v === 'number' || typeof v === 'bigint') out.push(v.toString());
  else if (v instanceof Float) out.push(goFormatFloat(v.v));
  else if (typeof v === 'string') out.push(quoteString(v));
  else if (v instanceof List || v instanceof Tuple || v instanceof RangeValue) {
    const elems = v instanceof RangeValue ? Array.from({ length: v.length }, (_, i) => v.at(i)) : v.elems;
    out.push('[');
    elems.forEach((e, i) => {
      if (i > 0) out.push(', ');
      writeJson(e, out);
    });
    out.push(']');
  } else if (v instanceof Dict && !(v instanceof StarSet)) {
    out.push('{');
    v.items().forEach(([k, x], i) => {
      if (i > 0) out.push(', ');
      writeJson(k, out);
      out.push(': ');
      writeJson(x, out);
    });
    out.push('}');
  } else {
    throw new StarlarkError(`value ${repr(v)} (type \`${typeName(v)}') can't be converted to JSON`);
  }
  return out;
}

const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A string as Drone writes it, as a byte string (UTF-8 bytes, like the rest of the output). */
function quoteString(s: string): string {
  if (PLAIN.test(s)) return '"' + s + '"';
  return encodeUtf8(isQuoteSafe(s) ? goQuote(decodeUtf8(s)) : goJsonString(s));
}

/** Go's check: every rune below U+10000 and not a control character (invalid bytes decode as U+FFFD). */
function isQuoteSafe(s: string): boolean {
  for (let i = 0; i < s.length; ) {
    const { rune, size } = decodeRuneAt(s, i);
    if (rune < 0x20 || rune >= 0x10000) return false;
    i += size;
  }
  return true;
}

/** Go's json.Marshal of a string (HTML-safe escaping, \u00XX for other control characters). */
function goJsonString(bytes: string): string {
  let out = '"';
  for (const ch of decodeUtf8(bytes)) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}
