// Go's text formatting, reproduced where Drone's output depends on it: `%q` quoting (shell trace lines,
// substitution values with newlines), `strconv.FormatFloat(f, 'g', -1, 64)` (plugin settings) and
// `time.Duration.String()` (container labels). Byte-for-byte equality with Go matters here because the
// results end up in scripts and environment variables users compare against Drone's.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's `strconv.Quote` (what `fmt.Sprintf("%q", s)` produces for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    out += quoteRune(ch);
  }
  return out + '"';
}

function quoteRune(ch: string): string {
  if (ch === '"' || ch === '\\') return '\\' + ch;
  if (PRINTABLE.test(ch)) return ch;
  switch (ch) {
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\v':
      return '\\v';
  }
  const code = ch.codePointAt(0) ?? 0xfffd;
  if (code < 0x20 || code === 0x7f) return '\\x' + code.toString(16).padStart(2, '0');
  if (code >= 0xd800 && code <= 0xdfff) return '\\ufffd';
  if (code < 0x10000) return '\\u' + code.toString(16).padStart(4, '0');
  return '\\U' + code.toString(16).padStart(8, '0');
}

/** Go's `strconv.FormatFloat(f, 'g', -1, 64)`: the shortest representation, `%e` form for large/small exponents. */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // toExponential() without digits gives the shortest round-tripping digits, like Go's shortest mode.
  const [mantissa, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  // In shortest mode Go switches to %e when the exponent is < -4 or >= 6.
  const eprec = 6;
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= eprec) {
    const frac = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const expAbs = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${frac}e${exp < 0 ? '-' : '+'}${expAbs}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Go's `time.Duration.String()` for a whole number of minutes (e.g. 90 → "1h30m0s", 0 → "0s"). */
export function goDurationFromMinutes(minutes: number): string {
  if (minutes === 0) return '0s';
  const negative = minutes < 0;
  const total = Math.abs(Math.trunc(minutes));
  const h = Math.floor(total / 60);
  const m = total % 60;
  const text = h > 0 ? `${h}h${m}m0s` : `${m}m0s`;
  return negative ? '-' + text : text;
}
