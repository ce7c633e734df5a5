import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';

import type { OpenDatabase } from '../../../src/store/db.js';
import { forUpdate, writeTransaction } from '../../../src/store/dialect.js';
import { migrate } from '../../../src/store/migrate.js';
import { insertRows, insertValues, queryShape, shapesByKey } from '../../../src/store/query-shape.js';
import type { Database } from '../../../src/store/schema.js';
import { storeTargets } from '../../support/stores.js';

type Db = Kysely<Database>;

const opened: OpenDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

const settingByName = queryShape((db: Db, v: { name: string }, dialect) =>
  forUpdate(db.selectFrom('hangar_settings').select(['setting_name', 'setting_value']).where('setting_name', '=', v.name), dialect),
);
const renameSetting = queryShape((db: Db, v: { from: string; to: string }) =>
  db.updateTable('hangar_settings').set({ setting_value: v.to }).where('setting_value', '=', v.from).returning('setting_name'),
);

const insertedSettings = shapesByKey((key) =>
  queryShape((db: Db, v: Record<string, unknown>) =>
    db
      .insertInto('hangar_settings')
      .values(insertRows(key, v) as Array<{ setting_name: string; setting_value: string }>)
      .returning(['setting_name', 'setting_value']),
  ),
);

describe.each(storeTargets)('a query shape on %s', (_dialect, target) => {
  async function openMigrated(): Promise<OpenDatabase> {
    const store = await target.open(await target.datasource());
    opened.push(store);
    await migrate(store.db, store.dialect);
    await store.db
      .insertInto('hangar_settings')
      .values([
        { setting_name: 'shape-a', setting_value: 'one' },
        { setting_name: 'shape-b', setting_value: 'two' },
      ])
      .execute();
    return store;
  }

  it('runs with each call’s own values, in and outside a transaction', async () => {
    const { db, dialect } = await openMigrated();
    expect(await settingByName.first(db, { name: 'shape-a' })).toEqual({ setting_name: 'shape-a', setting_value: 'one' });
    expect(await settingByName.first(db, { name: 'shape-b' })).toEqual({ setting_name: 'shape-b', setting_value: 'two' });
    expect(await settingByName.first(db, { name: 'missing' })).toBeUndefined();
    const renamed = await writeTransaction(db, dialect, async (trx) => {
      const rows = await renameSetting.rows(trx, { from: 'two', to: 'three' });
      return { rows, seen: await settingByName.first(trx, { name: 'shape-b' }) };
    });
    expect(renamed).toEqual({ rows: [{ setting_name: 'shape-b' }], seen: { setting_name: 'shape-b', setting_value: 'three' } });
    expect((await renameSetting.run(db, { from: 'nothing', to: 'x' })).rows).toEqual([]);
  });

  it('inserts rows with each call’s own values, a shape per number of rows', async () => {
    const { db } = await openMigrated();
    const insert = async (rows: Array<{ setting_name: string; setting_value: string }>) => {
      const { key, values } = insertValues(rows);
      return (await insertedSettings(key).rows(db, values)).sort((a, b) => a.setting_name.localeCompare(b.setting_name));
    };
    expect(await insert([{ setting_name: 'insert-a', setting_value: 'one' }])).toEqual([{ setting_name: 'insert-a', setting_value: 'one' }]);
    expect(await insert([{ setting_name: 'insert-b', setting_value: 'two' }, { setting_name: 'insert-c', setting_value: 'three' }])).toEqual([
      { setting_name: 'insert-b', setting_value: 'two' },
      { setting_name: 'insert-c', setting_value: 'three' },
    ]);
  });

  it('refuses a value that is missing, or used other than as a parameter', async () => {
    const { db } = await openMigrated();
    await expect(settingByName.first(db, { name: undefined as unknown as string })).rejects.toThrow('no value for name');
    const computed = queryShape((d: Db, v: { name: string }) => d.selectFrom('hangar_settings').selectAll().where('setting_name', '=', `${v.name}-x`));
    await expect(computed.first(db, { name: 'shape' })).rejects.toThrow('name did not become a parameter');
  });
});
