// What `POST …/cron` accepts: Drone's slugged names, its order of checks and its messages.

import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../src/core/errors.js';
import { cronNameSlug } from '../../../src/trigger/cron/cron-name.js';
import { prepareNewCron, validateCronBranch } from '../../../src/trigger/cron/new-cron.js';
import { parseGoDuration } from '../../../src/trigger/cron/go-duration.js';

const NOW = Math.floor(Date.parse('2024-01-01T00:00:00Z') / 1000);

function messageOf(input: Parameters<typeof prepareNewCron>[0]): string {
  try {
    prepareNewCron(input, NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('cron names', () => {
  it.each([
    ['nightly', 'nightly'],
    ['Nightly Build', 'nightly-build'],
    ['  deploy & test  ', 'deploy-and-test'],
    ['ci@night', 'ciatnight'],
    ["Bob's job", 'bobs-job'],
    ['Café — daily!!', 'cafe-daily'],
    ['Straße', 'strasse'],
    ['_keep_underscores_', '_keep_underscores_'],
    ['--a--b--', 'a-b'],
    ['!!!', ''],
  ])('%j is stored as %j', (name, slug) => {
    expect(cronNameSlug(name)).toBe(slug);
  });
});

describe('a new cron job', () => {
  it('gets its slugged name, push event fields and its first fire time', () => {
    expect(prepareNewCron({ name: 'Every Hour', expr: '@hourly', branch: 'main' }, NOW)).toEqual({
      name: 'every-hour',
      expr: '@hourly',
      branch: 'main',
      next: NOW + 3600,
    });
  });

  it('checks the expression first, then the name, then the branch, with Drone’s messages', () => {
    expect(messageOf({ name: '', expr: 'nonsense', branch: '' })).toBe('Invalid Cronjob Expression');
    expect(messageOf({ name: '', expr: '@daily', branch: '' })).toBe('Invalid Cronjob Name');
    expect(messageOf({ name: '***', expr: '@daily', branch: 'main' })).toBe('Invalid Cronjob Name');
    expect(messageOf({ name: 'ok', expr: '@daily' })).toBe('Invalid Cronjob Branch');
    expect(messageOf({})).toBe('Invalid Cronjob Expression');
  });

  it('refuses an expression that never fires and values longer than Drone’s columns', () => {
    expect(messageOf({ name: 'feb', expr: '0 0 0 30 2 *', branch: 'main' })).toMatch(/^Invalid Cronjob Expression/);
    expect(messageOf({ name: 'x'.repeat(51), expr: '@daily', branch: 'main' })).toMatch(/^Invalid Cronjob Name/);
    expect(messageOf({ name: 'long', expr: `0 0 0 ${'1,'.repeat(30)}1 * *`, branch: 'main' })).toMatch(/^Invalid Cronjob Expression/);
    expect(messageOf({ name: 'long', expr: '@daily', branch: 'b'.repeat(251) })).toMatch(/^Invalid Cronjob Branch/);
    expect(() => validateCronBranch('')).toThrow('Invalid Cronjob Branch');
    expect(validateCronBranch('release')).toBe('release');
  });
});

describe('Go durations', () => {
  it.each([
    ['10m', 600e9],
    ['1h30m', 5400e9],
    ['1.5h', 5400e9],
    ['.5s', 0.5e9],
    ['300ms', 0.3e9],
    ['2us', 2000],
    ['2µs', 2000],
    ['-1m', -60e9],
    ['0', 0],
  ])('%s is %d ns', (text, ns) => {
    expect(parseGoDuration(text)).toBeCloseTo(ns);
  });

  it.each([[''], ['10'], ['m'], ['1d'], ['1 m'], ['.s'], ['1.2.3s']])('%j is not a duration', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
