// Opening a fresh store on each dialect for integration tests: SQLite in a temp file, PostgreSQL as a new
// database on the run's throwaway cluster (see global-setup.ts).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { inject } from 'vitest';

import { openDatabase, type OpenDatabase } from '../../src/store/db.js';
import type { Dialect } from '../../src/store/dialect.js';
import { createTestDatabase } from './postgres.js';

export interface TestStoreTarget {
  dialect: Dialect;
  /** A new, empty database; each call gives a different one. */
  datasource(): Promise<string>;
  open(datasource: string): Promise<OpenDatabase>;
}

export const sqliteTarget: TestStoreTarget = {
  dialect: 'sqlite',
  async datasource() {
    return join(mkdtempSync(join(tmpdir(), 'hangar-sqlite-')), 'core.sqlite');
  },
  open: (datasource) => openDatabase({ driver: 'sqlite3', datasource }),
};

export const postgresTarget: TestStoreTarget = {
  dialect: 'postgres',
  datasource: () => createTestDatabase(inject('postgresUrl')),
  open: (datasource) => openDatabase({ driver: 'postgres', datasource, maxConnections: 5 }),
};

/** For `describe.each`: one entry per dialect, named by it. */
export const storeTargets: ReadonlyArray<readonly [Dialect, TestStoreTarget]> = [
  ['sqlite', sqliteTarget],
  ['postgres', postgresTarget],
];
