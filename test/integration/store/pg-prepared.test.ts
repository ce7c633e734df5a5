// PostgreSQL statements are prepared once per connection; a table changed underneath (another server's
// migration during a rolling upgrade) must not break the queries that were prepared before it.

import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../../src/store/db.js';
import { postgresTarget } from '../../support/stores.js';

const opened: OpenDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

async function openWithTable(): Promise<OpenDatabase> {
  const datasource = await postgresTarget.datasource();
  const store = await postgresTarget.open(datasource);
  opened.push(store);
  await sql`CREATE TABLE items (id bigint PRIMARY KEY, name text)`.execute(store.db);
  await sql`INSERT INTO items VALUES (1, 'one'), (2, 'two')`.execute(store.db);
  return store;
}

const selectAll = (store: OpenDatabase, id: number) => sql<{ id: number; name: string; extra?: string }>`SELECT * FROM items WHERE id = ${id}`.execute(store.db);

describe('prepared statements on PostgreSQL', () => {
  it('prepares a query once and reuses it on the same connection', async () => {
    const store = await openWithTable();
    await store.db.connection().execute(async (conn) => {
      for (const id of [1, 2, 1]) expect((await sql<{ name: string }>`SELECT name FROM items WHERE id = ${id}`.execute(conn)).rows[0].name).toBe(id === 1 ? 'one' : 'two');
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE 'SELECT name FROM items%'`.execute(conn);
      expect(rows[0].n).toBe(1);
    });
  });

  it('answers a prepared query again after its table gained a column, outside and inside a transaction', async () => {
    const store = await openWithTable();
    await store.db.connection().execute(async (conn) => {
      expect((await sql`SELECT * FROM items WHERE id = ${1}`.execute(conn)).rows).toEqual([{ id: 1, name: 'one' }]);
      await sql`ALTER TABLE items ADD COLUMN extra text DEFAULT 'new'`.execute(conn);
      expect((await sql`SELECT * FROM items WHERE id = ${1}`.execute(conn)).rows).toEqual([{ id: 1, name: 'one', extra: 'new' }]);

      await sql`ALTER TABLE items ADD COLUMN more int DEFAULT 7`.execute(conn);
      // Inside a transaction the failed statement has aborted it: the transaction fails once, and the next works.
      await expect(conn.transaction().execute((trx) => sql`SELECT * FROM items WHERE id = ${1}`.execute(trx))).rejects.toThrow('cached plan must not change result type');
      const again = await conn.transaction().execute((trx) => sql`SELECT * FROM items WHERE id = ${1}`.execute(trx));
      expect(again.rows).toEqual([{ id: 1, name: 'one', extra: 'new', more: 7 }]);
    });
    expect((await selectAll(store, 2)).rows[0].name).toBe('two');
  });
});
