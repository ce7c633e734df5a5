// Go's `encoding/json` output for plain data: map keys sorted bytewise and `<`, `>`, `&`, U+2028 and
// U+2029 escaped. Drone turns non-scalar plugin settings into JSON this way (PLUGIN_* variables), and
// plugins sometimes compare or parse that text, so we match it.

export type GoValue = null | boolean | number | bigint | string | GoValue[] | { [key: string]: GoValue };

export function goJson(value: GoValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return goJsonString(value);
  if (Array.isArray(value)) return '[' + value.map(goJson).join(',') + ']';
  const keys = Object.keys(value).sort(compareBytewise);
  return '{' + keys.map((k) => goJsonString(k) + ':' + goJson(value[k])).join(',') + '}';
}

export function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    out += escapeChar(ch);
  }
  return out + '"';
}

function escapeChar(ch: string): string {
  switch (ch) {
    case '"':
      return '\\"';
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '<':
    case '>':
    case '&':
    case '\u2028':
    case '\u2029':
      return unicodeEscape(ch);
  }
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20) return unicodeEscape(ch);
  if (code >= 0xd800 && code <= 0xdfff) return '\\ufffd';
  return ch;
}

function unicodeEscape(ch: string): string {
  return '\\u' + (ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0');
}
