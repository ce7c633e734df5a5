import { sql } from 'kysely';
import { afterEach, describe, expect, inject, it } from 'vitest';

import type { OpenDatabase } from '../../../src/store/db.js';
import { droneMigrations, migrate } from '../../../src/store/migrate.js';
import { dumpSchema, type SchemaObject } from '../../support/schema-dump.js';
import { createDronePostgres, createDroneSqlite, type RawDroneDatabase } from '../../support/drone-database.js';
import { createTestDatabase } from '../../support/postgres.js';
import { postgresTarget, storeTargets, type TestStoreTarget } from '../../support/stores.js';

const DRONE_TABLES = [
  'builds',
  'cards',
  'cron',
  'latest',
  'logs',
  'migrations',
  'nodes',
  'orgsecrets',
  'perms',
  'repos',
  'secrets',
  'stages',
  'steps',
  'templates',
  'users',
];
const HANGAR_TABLES = ['hangar_build_configs', 'hangar_build_keys', 'hangar_log_chunks', 'hangar_settings'];
const HANGAR_STAGE_INDEXES = [
  'ix_hangar_stages_dispatch',
  'ix_hangar_stages_lease',
  'ix_hangar_stages_repo_incomplete',
  'ix_hangar_stages_waiting',
];

const opened: OpenDatabase[] = [];
const raws: RawDroneDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
  await Promise.all(raws.splice(0).map((r) => r.close()));
});

async function openFresh(target: TestStoreTarget, datasource?: string): Promise<OpenDatabase> {
  const store = await target.open(datasource ?? (await target.datasource()));
  opened.push(store);
  return store;
}

async function tableNames(store: OpenDatabase): Promise<string[]> {
  const tables = await store.db.introspection.getTables();
  return tables.map((t) => t.name).sort();
}

async function migrationNames(store: OpenDatabase): Promise<string[]> {
  const rows = await store.db.selectFrom('migrations').select('name').execute();
  return rows.map((r) => r.name);
}

/** Drone's part of a schema: Hangar's tables, columns and indexes left out (SQLite splices added columns into the CREATE text). */
function droneObjects(objects: SchemaObject[]): SchemaObject[] {
  return objects
    .filter((o) => !o.table.startsWith('hangar_') && !o.name.startsWith('hangar_') && !o.name.startsWith('ix_hangar_'))
    .map((o) => ({ ...o, definition: o.definition.replace(/, hangar_\w+ [^,)]*/g, '') }));
}

describe.each(storeTargets)('migrate on %s', (dialect, target) => {
  it('creates every Drone table, records all 48 Drone names and adds Hangar’s tables', async () => {
    const store = await openFresh(target);
    const result = await migrate(store.db, store.dialect);

    const names = await migrationNames(store);
    expect(names).toHaveLength(48);
    expect(new Set(names)).toEqual(new Set(droneMigrations(dialect).map((m) => m.name)));
    expect(result.drone).toHaveLength(48);
    // The names that differ per dialect (research/drone-schema.md §1.2).
    if (dialect === 'sqlite') {
      expect(names).toContain('create-index-build-incomplete');
      expect(names).toContain('create-table-templates');
    } else {
      expect(names).toContain('create-index-builds-incomplete');
      expect(names).toContain('create-table-template');
    }
    expect(result.hangar.length).toBeGreaterThan(0);

    const tables = await tableNames(store);
    for (const table of [...DRONE_TABLES, ...HANGAR_TABLES]) expect(tables).toContain(table);
    const stageColumns = (await store.db.introspection.getTables()).find((t) => t.name === 'stages')!.columns;
    for (const column of ['hangar_reserved_until', 'hangar_lease_until', 'hangar_deadline', 'hangar_pending_ms', 'hangar_attempt', 'hangar_steps_started']) {
      const found = stageColumns.find((c) => c.name === column);
      expect(found, column).toBeDefined();
      expect(found!.isNullable, column).toBe(false);
      expect(found!.hasDefaultValue, column).toBe(true);
    }
    const indexes = (await dumpSchema(store.db, dialect)).filter((o) => o.kind === 'index').map((o) => o.name);
    for (const index of [...HANGAR_STAGE_INDEXES, 'ix_stage_in_progress', 'ix_build_incomplete', 'ix_template_namespace']) {
      expect(indexes).toContain(index);
    }
  });

  it('changes nothing when run again', async () => {
    const store = await openFresh(target);
    await migrate(store.db, store.dialect);
    const before = await dumpSchema(store.db, dialect);

    const again = await migrate(store.db, store.dialect);

    expect(again).toEqual({ drone: [], hangar: [] });
    expect(await dumpSchema(store.db, dialect)).toEqual(before);
    expect(await migrationNames(store)).toHaveLength(48);
  });

  it('leaves Drone’s own tables, columns and indexes exactly as Drone creates them', async () => {
    const droneSource = await target.datasource();
    const raw = dialect === 'sqlite' ? await createDroneSqlite(droneSource) : await createDronePostgres(droneSource);
    await raw.close();
    const droneOnly = await openFresh(target, droneSource);
    const droneSchema = await dumpSchema(droneOnly.db, dialect);

    const fresh = await openFresh(target);
    await migrate(fresh.db, fresh.dialect);
    const ours = droneObjects(await dumpSchema(fresh.db, dialect));

    expect(ours).toEqual(droneSchema);
  });

  it('applies only the Drone statements an older Drone release had not run (by name, not order)', async () => {
    // Drone 2.11 had every statement but create-index-template-namespace (added in 2.12.1).
    const source = await target.datasource();
    const raw = dialect === 'sqlite' ? await createDroneSqlite(source) : await createDronePostgres(source);
    await raw.exec('DROP INDEX ix_template_namespace');
    await raw.exec('DELETE FROM migrations WHERE name = ?', ['create-index-template-namespace']);
    await raw.close();

    const store = await openFresh(target, source);
    const result = await migrate(store.db, store.dialect);

    expect(result.drone).toEqual(['create-index-template-namespace']);
    expect(await migrationNames(store)).toHaveLength(48);
    const indexes = (await dumpSchema(store.db, dialect)).filter((o) => o.kind === 'index').map((o) => o.name);
    expect(indexes).toContain('ix_template_namespace');
  });

  it('upgrades a database Drone created, keeping its rows, and only adds Hangar’s parts', async () => {
    const source = await target.datasource();
    const raw = dialect === 'sqlite' ? await createDroneSqlite(source) : await createDronePostgres(source);
    raws.push(raw);
    await raw.exec(
      `INSERT INTO repos (repo_uid, repo_user_id, repo_namespace, repo_name, repo_slug, repo_scm, repo_clone_url,
        repo_ssh_url, repo_html_url, repo_active, repo_private, repo_visibility, repo_branch, repo_counter, repo_config,
        repo_timeout, repo_throttle, repo_trusted, repo_protected, repo_no_forks, repo_no_pulls, repo_cancel_pulls,
        repo_cancel_push, repo_cancel_running, repo_synced, repo_created, repo_updated, repo_version, repo_signer, repo_secret)
       VALUES ('42', 1, 'octocat', 'hello', 'octocat/hello', '', '', '', '', ?, ?, 'public', 'main', 7, '.drone.yml',
        60, 0, ?, ?, ?, ?, ?, ?, ?, 0, 1, 1, 3, 'signer', 'secret')`,
      dialect === 'sqlite' ? [1, 0, 0, 0, 0, 0, 0, 0, 0] : [true, false, false, false, false, false, false, false, false],
    );
    await raw.close();
    raws.pop();

    const store = await openFresh(target, source);
    const result = await migrate(store.db, store.dialect);

    expect(result.drone).toEqual([]);
    expect(result.hangar.length).toBeGreaterThan(0);
    const repo = await store.db.selectFrom('repos').select(['repo_slug', 'repo_counter', 'repo_version']).executeTakeFirstOrThrow();
    expect(repo).toEqual({ repo_slug: 'octocat/hello', repo_counter: 7, repo_version: 3 });
    expect(await migrationNames(store)).toHaveLength(48);
  });
});

describe('migrate on postgres, concurrently', () => {
  it('lets two servers migrate one database at the same instant', async () => {
    const url = await createTestDatabase(inject('postgresUrl'));
    const [a, b] = [await openFresh(postgresTarget, url), await openFresh(postgresTarget, url)];

    const [first, second] = await Promise.all([migrate(a.db, a.dialect), migrate(b.db, b.dialect)]);

    // Exactly one of them did the work; the other found it done.
    expect(first.drone.length + second.drone.length).toBe(48);
    expect([first.drone.length, second.drone.length]).toContain(0);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from migrations`.execute(a.db);
    expect(rows[0]!.n).toBe(48);
  });
});
