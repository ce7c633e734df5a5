// Cron expressions as Drone reads them (robfig/cron v1's Parse, the version Drone 2.x vendors):
//   - 6 fields `second minute hour day-of-month month [day-of-week]` (5 fields leave day-of-week `*`;
//     the first field is always seconds, so `*/5 * * * *` is every five seconds, as in Drone);
//   - `*`, `?`, numbers, ranges `a-b`, steps `/n`, lists `a,b`, month and weekday names (jan, mon);
//   - descriptors `@yearly` `@annually` `@monthly` `@weekly` `@daily` `@midnight` `@hourly` `@every <Go duration>`.
// What robfig rejects is rejected here (`L`, `#`, `H`, weekday 7...), so a job written here also runs on
// Drone. Times are UTC. The fields are parsed by hand only to validate them and to keep robfig's day
// rule (a day-of-month or day-of-week field starting with `*` or `?` means "and", otherwise "or");
// the search for the next time is cron-parser's.

import { type CronExpression, CronExpressionParser } from 'cron-parser';
import { parseGoDuration } from './go-duration.js';

export class InvalidCronExpression extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCronExpression';
  }
}

export interface CronSchedule {
  /** The first fire time strictly after `afterSeconds` (Unix seconds); undefined when none comes within five years. */
  next(afterSeconds: number): number | undefined;
}

/** Parses an expression; throws InvalidCronExpression where Drone's parser fails. */
export function parseCronExpression(expr: string): CronSchedule {
  if (expr.length === 0) throw new InvalidCronExpression('empty cron expression');
  if (expr.startsWith('@')) return parseDescriptor(expr);
  const fields = expr.split(/\s+/).filter((field) => field !== '');
  if (fields.length < 5 || fields.length > 6) throw new InvalidCronExpression(`expected 5 to 6 fields, found ${fields.length}: ${expr}`);
  if (fields.length === 5) fields.push('*');
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = fields.map((field, index) => parseField(field, FIELD_BOUNDS[index]));
  return new SpecSchedule(second, minute, hour, dayOfMonth, month, dayOfWeek);
}

// ---- fields ---------------------------------------------------------------------------------------------

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const WEEKDAY_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELD_BOUNDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: WEEKDAY_NAMES },
];

interface Field {
  values: number[];
  /** Written with `*` or `?` (robfig's "star bit"). */
  star: boolean;
  /** Every value of the field's range. */
  full: boolean;
}

function parseField(text: string, bounds: Bounds): Field {
  const values = new Set<number>();
  let star = false;
  for (const range of text.split(',').filter((part) => part !== '')) {
    const parsed = parseRange(range, bounds);
    star ||= parsed.star;
    for (let v = parsed.start; v <= parsed.end; v += parsed.step) values.add(v);
  }
  const sorted = [...values].sort((a, b) => a - b);
  return { values: sorted, star, full: sorted.length === bounds.max - bounds.min + 1 };
}

/** `number | number "-" number [ "/" number ]`, `*` or `?` with an optional step; "N/step" means N-max/step. */
function parseRange(expr: string, bounds: Bounds): { start: number; end: number; step: number; star: boolean } {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    [start, end, star] = [bounds.min, bounds.max, true];
  } else {
    start = parseIntOrName(lowAndHigh[0], bounds.names);
    if (lowAndHigh.length > 2) throw new InvalidCronExpression(`too many hyphens: ${expr}`);
    end = lowAndHigh.length === 2 ? parseIntOrName(lowAndHigh[1], bounds.names) : start;
  }
  if (rangeAndStep.length > 2) throw new InvalidCronExpression(`too many slashes: ${expr}`);
  const step = rangeAndStep.length === 2 ? parseNonNegativeInt(rangeAndStep[1]) : 1;
  if (rangeAndStep.length === 2 && lowAndHigh.length === 1) end = bounds.max;
  if (start < bounds.min) throw new InvalidCronExpression(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max) throw new InvalidCronExpression(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end) throw new InvalidCronExpression(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new InvalidCronExpression(`step of range should be a positive number: ${expr}`);
  return { start, end, step, star };
}

function parseIntOrName(text: string, names?: Record<string, number>): number {
  const named = names?.[text.toLowerCase()];
  return named ?? parseNonNegativeInt(text);
}

/** Go's strconv.Atoi (an optional sign, decimal digits), negative numbers refused. */
function parseNonNegativeInt(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new InvalidCronExpression(`failed to parse int from ${text}`);
  const value = Number(text);
  if (value < 0) throw new InvalidCronExpression(`negative number (${value}) not allowed: ${text}`);
  return value;
}

// ---- schedules ------------------------------------------------------------------------------------------

const FIVE_YEARS_SECONDS = 5 * 366 * 24 * 3600;

class SpecSchedule implements CronSchedule {
  /** The expression cron-parser searches with (numeric lists, so no dialect differences remain). */
  private readonly searchExpr: string;
  /** Weekdays a candidate must also fall on (robfig's "and" rule), or undefined. */
  private readonly weekdayFilter?: Set<number>;

  constructor(second: Field, minute: Field, hour: Field, dayOfMonth: Field, month: Field, dayOfWeek: Field) {
    const list = (field: Field) => (field.full ? '*' : field.values.join(','));
    let dom: string;
    let dow: string;
    if (dayOfMonth.star || dayOfWeek.star) {
      // "and": search by day of month only, then keep the candidates on an allowed weekday.
      dom = list(dayOfMonth);
      dow = '*';
      if (!dayOfWeek.full) this.weekdayFilter = new Set(dayOfWeek.values);
    } else if (dayOfMonth.full || dayOfWeek.full) {
      // "or" with one side matching every day.
      [dom, dow] = ['*', '*'];
    } else {
      // "or": cron-parser's rule when both day fields are restricted.
      [dom, dow] = [list(dayOfMonth), list(dayOfWeek)];
    }
    const fields = [list(second), list(minute), list(hour), dom, list(month), dow];
    this.searchExpr = fields.some((field) => field === '') ? '' : fields.join(' ');
  }

  next(afterSeconds: number): number | undefined {
    if (this.searchExpr === '') return undefined; // a field with no value (e.g. ",") never fires
    const limit = afterSeconds + FIVE_YEARS_SECONDS;
    const iterator = this.iterate(afterSeconds);
    if (!iterator) return undefined;
    for (;;) {
      let candidate: number;
      try {
        candidate = Math.floor(iterator.next().getTime() / 1000);
      } catch {
        return undefined;
      }
      if (candidate > limit) return undefined;
      if (!this.weekdayFilter || this.weekdayFilter.has(new Date(candidate * 1000).getUTCDay())) return candidate;
    }
  }

  private iterate(afterSeconds: number): CronExpression | undefined {
    try {
      return CronExpressionParser.parse(this.searchExpr, { currentDate: new Date(afterSeconds * 1000), tz: 'UTC' });
    } catch {
      return undefined; // e.g. 30 February: no date ever matches
    }
  }
}

/** `@every d`: d truncated to whole seconds, at least one second, counted from the given time. */
class EverySchedule implements CronSchedule {
  constructor(private readonly delaySeconds: number) {}

  next(afterSeconds: number): number {
    return afterSeconds + this.delaySeconds;
  }
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

function parseDescriptor(expr: string): CronSchedule {
  const spec = DESCRIPTORS[expr];
  if (spec) return parseCronExpression(spec);
  const every = '@every ';
  if (expr.startsWith(every)) {
    const nanoseconds = parseGoDuration(expr.slice(every.length));
    if (nanoseconds === undefined) throw new InvalidCronExpression(`failed to parse duration ${expr}`);
    return new EverySchedule(Math.max(1, Math.floor(nanoseconds / 1e9)));
  }
  throw new InvalidCronExpression(`unrecognized descriptor: ${expr}`);
}
