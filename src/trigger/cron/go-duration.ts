// Go's time.ParseDuration, for `@every <duration>` cron expressions: a sequence of decimal numbers, each
// with a unit (ns, us, µs, ms, s, m, h), an optional leading sign; "0" alone is zero.

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const PART = /^(\d*)(?:\.(\d*))?([^\d.]+)/;

/** The duration in nanoseconds; undefined where Go would answer an error. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const match = PART.exec(rest);
    if (!match) return undefined;
    const [whole, integer, fraction, unitText] = match;
    if (integer === '' && (fraction === undefined || fraction === '')) return undefined;
    // The unit runs until the next digit or dot, as in Go.
    const unit = UNIT_NS[unitText];
    if (unit === undefined) return undefined;
    total += Number(`${integer || '0'}.${fraction ?? '0'}`) * unit;
    rest = rest.slice(whole.length);
  }
  return sign * total;
}
