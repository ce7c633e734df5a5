import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import type { OpenDatabase } from '../../../src/store/db.js';
import { forUpdate, sqlNowMs, sqlNowSeconds, writeTransaction } from '../../../src/store/dialect.js';
import { migrate } from '../../../src/store/migrate.js';
import { sqliteTarget, storeTargets } from '../../support/stores.js';

const opened: OpenDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

describe.each(storeTargets)('dialect helpers on %s', (dialect, target) => {
  async function openMigrated(datasource?: string): Promise<OpenDatabase> {
    const store = await target.open(datasource ?? (await target.datasource()));
    opened.push(store);
    await migrate(store.db, store.dialect);
    return store;
  }

  async function settingValue(store: OpenDatabase, name: string): Promise<string | undefined> {
    const row = await store.db.selectFrom('hangar_settings').select('setting_value').where('setting_name', '=', name).executeTakeFirst();
    return row?.setting_value;
  }

  it('reads the database clock in milliseconds and seconds', async () => {
    const { db } = await openMigrated();
    const before = Date.now();
    const row = await db.selectNoFrom([sqlNowMs(dialect).as('ms'), sqlNowSeconds(dialect).as('s')]).executeTakeFirstOrThrow();
    const after = Date.now();
    expect(Number.isInteger(row.ms)).toBe(true);
    expect(Number.isInteger(row.s)).toBe(true);
    expect(row.ms).toBeGreaterThanOrEqual(before - 1000);
    expect(row.ms).toBeLessThanOrEqual(after + 1000);
    expect(Math.abs(row.s - row.ms / 1000)).toBeLessThan(2);
  });

  it('locks rows with forUpdate where the dialect has row locks, and runs the query on SQLite', async () => {
    const store = await openMigrated();
    await store.db.insertInto('hangar_settings').values([{ setting_name: 'a', setting_value: '1' }]).execute();
    const query = (db: typeof store.db, skipLocked = false) =>
      forUpdate(db.selectFrom('hangar_settings').select('setting_name').where('setting_name', '=', 'a'), dialect, { skipLocked });

    const compiled = query(store.db, true).compile().sql;
    if (dialect === 'postgres') expect(compiled).toMatch(/for update skip locked$/);
    else expect(compiled).not.toMatch(/for update/i);

    const rows = await writeTransaction(store.db, dialect, (trx) => query(trx).execute());
    expect(rows).toEqual([{ setting_name: 'a' }]);

    if (dialect === 'postgres') {
      // While one transaction holds the row, SKIP LOCKED passes over it.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = writeTransaction(store.db, dialect, async (trx) => {
        await query(trx).execute();
        locked();
        await held;
      });
      await isLocked;
      const skipped = await writeTransaction(store.db, dialect, (trx) => query(trx, true).execute());
      release();
      await holder;
      expect(skipped).toEqual([]);
    }
  });

  it('commits what the transaction wrote, and rolls back on an error', async () => {
    const store = await openMigrated();
    await writeTransaction(store.db, dialect, (trx) =>
      trx.insertInto('hangar_settings').values({ setting_name: 'kept', setting_value: 'yes' }).execute(),
    );
    await expect(
      writeTransaction(store.db, dialect, async (trx) => {
        await trx.insertInto('hangar_settings').values({ setting_name: 'lost', setting_value: 'no' }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await settingValue(store, 'kept')).toBe('yes');
    expect(await settingValue(store, 'lost')).toBeUndefined();
  });

  it('retries once on a transient error, never on others', async () => {
    const store = await openMigrated();
    const serializationFailure = Object.assign(new Error('could not serialize access'), { code: '40001' });

    let attempts = 0;
    const result = await writeTransaction(store.db, dialect, async (trx) => {
      attempts++;
      await trx.insertInto('hangar_settings').values({ setting_name: `try-${attempts}`, setting_value: '' }).execute();
      if (attempts === 1) throw serializationFailure;
      return 'done';
    });
    expect(result).toBe('done');
    expect(attempts).toBe(2);
    expect(await settingValue(store, 'try-1')).toBeUndefined();
    expect(await settingValue(store, 'try-2')).toBe('');

    let failing = 0;
    await expect(writeTransaction(store.db, dialect, async () => { failing++; throw serializationFailure; })).rejects.toBe(serializationFailure);
    expect(failing).toBe(2);

    let plain = 0;
    await expect(writeTransaction(store.db, dialect, async () => { plain++; throw new Error('constraint'); })).rejects.toThrow('constraint');
    expect(plain).toBe(1);
  });
});

describe('writeTransaction on SQLite', () => {
  it('takes the write lock at BEGIN (IMMEDIATE), before the first write', async () => {
    const path = await sqliteTarget.datasource();
    const store = await sqliteTarget.open(path);
    opened.push(store);
    await migrate(store.db, store.dialect);
    const other = new BetterSqlite3(path, { timeout: 0 });
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let begun!: () => void;
      const inside = new Promise<void>((resolve) => (begun = resolve));
      const transaction = writeTransaction(store.db, 'sqlite', async (trx) => {
        await trx.selectFrom('hangar_settings').select('setting_name').execute();
        begun();
        await held;
      });
      await inside;
      expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(/database is locked/);
      release();
      await transaction;
      other.exec('BEGIN IMMEDIATE; COMMIT;');
    } finally {
      other.close();
    }
  });
});
