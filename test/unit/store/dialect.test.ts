import { describe, expect, it } from 'vitest';

import { postgresConnection } from '../../../src/store/db.js';
import { isTransientError } from '../../../src/store/dialect.js';

describe('isTransientError', () => {
  it('accepts lost connections, serialization failures, deadlocks, shutdowns and SQLite busy', () => {
    const transient = [
      { code: '40001' },
      { code: '40P01' },
      { code: '57P01' },
      { code: '08006' },
      { code: 'ECONNRESET' },
      { code: 'ECONNREFUSED' },
      { code: 'SQLITE_BUSY' },
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('wrapped', { cause: { code: '40P01' } }),
    ];
    for (const err of transient) expect(isTransientError(err), JSON.stringify(err)).toBe(true);
  });

  it('rejects real failures', () => {
    const failures = [{ code: '23505' }, { code: '42601' }, { code: 'SQLITE_CONSTRAINT_UNIQUE' }, new Error('boom'), null, undefined, 'text'];
    for (const err of failures) expect(isTransientError(err), String(err)).toBe(false);
  });
});

describe('postgresConnection', () => {
  it('passes URLs through and translates lib/pq key=value datasources', () => {
    expect(postgresConnection('postgres://u:p@db:5432/drone?sslmode=disable')).toEqual({
      connectionString: 'postgres://u:p@db:5432/drone?sslmode=disable',
    });
    expect(postgresConnection("host=db port=5433 user=drone password='p w\\'d' dbname=drone sslmode=disable")).toEqual({
      host: 'db',
      port: 5433,
      user: 'drone',
      password: "p w'd",
      database: 'drone',
      ssl: false,
    });
  });
});
