// Times as people read them: "3 minutes ago", "01:05".

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** `seconds` (Unix time) relative to now. */
export function timeAgo(seconds: number, now = Date.now() / 1000): string {
  if (!seconds) return '';
  const delta = seconds - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(delta) >= size || unit === 'second') return relative.format(Math.round(delta / size), unit);
  }
  return '';
}

/** How long something ran, as mm:ss (or h:mm:ss); a running thing counts up to now. */
export function duration(started?: number, stopped?: number, now = Date.now() / 1000): string {
  if (!started) return '';
  const total = Math.max(0, Math.round((stopped || now) - started));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${hours ? `${hours}:` : ''}${pad(minutes)}:${pad(total % 60)}`;
}

export function dateTime(seconds: number): string {
  return seconds ? new Date(seconds * 1000).toLocaleString() : '';
}
