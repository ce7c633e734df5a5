// Cron expressions read as Drone reads them (robfig/cron v1): seconds first, descriptors, `@every`,
// the day-of-month/day-of-week rule, and the same refusals.

import { describe, expect, it } from 'vitest';
import { InvalidCronExpression, parseCronExpression } from '../../../src/trigger/cron/schedule.js';

const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const iso = (seconds: number | undefined) => (seconds === undefined ? undefined : new Date(seconds * 1000).toISOString().replace('.000', ''));
const next = (expr: string, from: string) => iso(parseCronExpression(expr).next(at(from)));

describe('cron expressions', () => {
  it('reads six fields with seconds first, in UTC', () => {
    expect(next('0 */5 * * * *', '2024-01-01T00:05:00Z')).toBe('2024-01-01T00:10:00Z');
    expect(next('30 15 10 * * *', '2024-01-01T12:00:00Z')).toBe('2024-01-02T10:15:30Z');
  });

  it('reads five fields as seconds to month, every weekday (so */5 is every five seconds)', () => {
    expect(next('*/5 * * * *', '2024-01-01T00:00:02Z')).toBe('2024-01-01T00:00:05Z');
    expect(next('0 0 12 1 *', '2024-01-01T12:00:00Z')).toBe('2024-02-01T12:00:00Z');
  });

  it('answers the first time strictly after the given one', () => {
    expect(next('0 0 * * * *', '2024-01-01T05:00:00Z')).toBe('2024-01-01T06:00:00Z');
  });

  it('knows Drone’s descriptors', () => {
    const from = '2024-03-13T10:20:30Z'; // a Wednesday
    expect(next('@hourly', from)).toBe('2024-03-13T11:00:00Z');
    expect(next('@daily', from)).toBe('2024-03-14T00:00:00Z');
    expect(next('@midnight', from)).toBe('2024-03-14T00:00:00Z');
    expect(next('@weekly', from)).toBe('2024-03-17T00:00:00Z');
    expect(next('@monthly', from)).toBe('2024-04-01T00:00:00Z');
    expect(next('@yearly', from)).toBe('2025-01-01T00:00:00Z');
    expect(next('@annually', from)).toBe('2025-01-01T00:00:00Z');
  });

  it('counts @every from the given time, in whole seconds, at least one', () => {
    expect(next('@every 10m', '2024-01-01T00:00:07Z')).toBe('2024-01-01T00:10:07Z');
    expect(next('@every 1h30m', '2024-01-01T00:00:00Z')).toBe('2024-01-01T01:30:00Z');
    expect(next('@every 1.5s', '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:01Z');
    expect(next('@every 300ms', '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:01Z');
  });

  it('accepts month and weekday names in any case, ranges, steps and lists', () => {
    expect(next('0 0 9 * * MON-fri', '2024-03-16T10:00:00Z')).toBe('2024-03-18T09:00:00Z'); // Saturday → Monday
    expect(next('0 0 0 1 jun,DEC *', '2024-07-01T00:00:00Z')).toBe('2024-12-01T00:00:00Z');
    expect(next('0 10/20 * * * *', '2024-01-01T00:31:00Z')).toBe('2024-01-01T00:50:00Z');
    expect(next('0 0 0 ? * sun', '2024-03-13T00:00:00Z')).toBe('2024-03-17T00:00:00Z');
  });

  it('fires on either day field when both are restricted, on both when one starts with * or ?', () => {
    // 15th or a Monday: Monday 8 January comes first.
    expect(next('0 0 0 15 * 1', '2024-01-01T01:00:00Z')).toBe('2024-01-08T00:00:00Z');
    // Odd days that are Mondays: 1 January is past, 15 January is the next.
    expect(next('0 0 0 */2 * 1', '2024-01-01T01:00:00Z')).toBe('2024-01-15T00:00:00Z');
    // A 13th on a Sunday or Friday (*/5 = days 0 and 5): the first in 2024 is Friday 13 September.
    expect(next('0 0 0 13 * */5', '2024-01-01T00:00:00Z')).toBe('2024-09-13T00:00:00Z');
  });

  it.each([
    [''],
    ['* * * *'],
    ['* * * * * * *'],
    ['0 0 0 L * *'],
    ['0 0 0 * * 1#2'],
    ['H * * * * *'],
    ['0 0 0 * * 7'],
    ['60 * * * * *'],
    ['0 0 24 * * *'],
    ['0 0 0 0 * *'],
    ['0 0 0 * 13 *'],
    ['0 5-1 * * * *'],
    ['0 */0 * * * *'],
    ['0 1-2-3 * * * *'],
    ['0 1/2/3 * * * *'],
    ['0 -1 * * * *'],
    ['0 0 0 * foo *'],
    ['@Hourly'],
    ['@every'],
    ['@every 10'],
    ['@every ten minutes'],
    [' @hourly'],
  ])('refuses %j as Drone does', (expr) => {
    expect(() => parseCronExpression(expr)).toThrow(InvalidCronExpression);
  });

  it('has no next time for a date that never comes', () => {
    expect(parseCronExpression('0 0 0 30 2 *').next(at('2024-01-01T00:00:00Z'))).toBeUndefined();
    expect(parseCronExpression('0 0 0 , * *').next(at('2024-01-01T00:00:00Z'))).toBeUndefined();
  });
});
