// A full disk under the database is told to API and webhook clients as such (507 with a message that says
// so), whichever database and however deep the driver wrapped the error.

import { describe, expect, it } from 'vitest';
import { isDiskFull } from '../../../src/core/errors.js';

describe('isDiskFull', () => {
  it("recognises SQLite's SQLITE_FULL, PostgreSQL's disk_full and ENOSPC, also as a cause", () => {
    expect(isDiskFull(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('could not extend file'), { code: '53100' }))).toBe(true);
    expect(isDiskFull(new Error('wrapped', { cause: Object.assign(new Error('write'), { code: 'ENOSPC' }) }))).toBe(true);
  });

  it('leaves every other error alone', () => {
    expect(isDiskFull(Object.assign(new Error('cannot rollback - no transaction is active'), { code: 'SQLITE_ERROR' }))).toBe(false);
    expect(isDiskFull(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDiskFull(undefined)).toBe(false);
    expect(isDiskFull('ENOSPC')).toBe(false);
  });
});
