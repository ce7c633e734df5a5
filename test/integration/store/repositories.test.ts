import { createDecipheriv } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import type { OpenDatabase } from '../../../src/store/db.js';
import { createEncrypter, EncryptionError } from '../../../src/store/encrypt.js';
import { deleteLogChunks, findLog, insertLogChunks, listLogChunks, writeLog } from '../../../src/store/logs.js';
import { migrate } from '../../../src/store/migrate.js';
import {
  createRepo,
  findPerm,
  findRepoById,
  findRepoBySlug,
  findRepoWithKeysById,
  listReposForUser,
  updateRepo,
  upsertPerm,
} from '../../../src/store/repos.js';
import {
  createOrgSecret,
  createSecret,
  decryptRunnerSecrets,
  deleteSecret,
  findSecret,
  listOrgSecrets,
  listSecrets,
  updateSecret,
} from '../../../src/store/secrets.js';
import { BootstrapError, bootstrapUser, createUser, findUserById, findUserByLogin, findUserByToken, findUserSecrets } from '../../../src/store/users.js';
import { storeTargets } from '../../support/stores.js';

const KEY = '0123456789abcdef0123456789abcdef';

describe.each(storeTargets)('repositories on %s', (dialect, target) => {
  const opened: OpenDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((o) => o.close()));
  });

  async function openMigrated(datasource?: string): Promise<OpenDatabase> {
    const store = await target.open(datasource ?? (await target.datasource()));
    opened.push(store);
    await migrate(store.db, store.dialect);
    return store;
  }

  describe('users', () => {
    it('creates a user and finds it by id, login and API token', async () => {
      const { db } = await openMigrated();
      const user = await createUser(db, { login: 'octocat', email: 'o@example.com', admin: true, token: 'tok-1' });
      expect(user).toMatchObject({ login: 'octocat', email: 'o@example.com', admin: true, machine: false, active: true });
      expect(user.created).toBeGreaterThan(0);

      expect(await findUserById(db, user.id)).toEqual(user);
      expect(await findUserByLogin(db, 'octocat')).toEqual(user);
      expect(await findUserByToken(db, 'tok-1')).toEqual(user);
      expect(await findUserByToken(db, 'tok-2')).toBeUndefined();
      expect(await findUserByToken(db, '')).toBeUndefined();
      // Logins compare as Drone's columns do: NOCASE on SQLite, exact on PostgreSQL.
      expect(await findUserByLogin(db, 'OctoCat')).toEqual(dialect === 'sqlite' ? user : undefined);
      await expect(createUser(db, { login: 'octocat' })).rejects.toThrow();
    });

    it('generates a 32-character token when none is given, and keeps OAuth tokens encrypted on request', async () => {
      const { db } = await openMigrated();
      const oauthEncrypter = createEncrypter(KEY);
      const user = await createUser(db, { login: 'alice', oauthToken: 'gho_secret', oauthRefresh: 'r' }, { oauthEncrypter });
      const secrets = await findUserSecrets(db, user.id, { oauthEncrypter });
      expect(secrets?.token).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(secrets).toMatchObject({ oauthToken: 'gho_secret', oauthRefresh: 'r', oauthExpiry: 0 });
      const stored = await db.selectFrom('users').select('user_oauth_token').where('user_id', '=', user.id).executeTakeFirstOrThrow();
      expect(Buffer.from(stored.user_oauth_token as Buffer).includes('gho_secret')).toBe(false);
    });

    it('bootstraps DRONE_USER_CREATE: creates once, then updates token and flags', async () => {
      const { db } = await openMigrated();
      const created = await bootstrapUser(db, { login: 'root', admin: true, machine: false, token: 'boot-token' });
      expect(created).toMatchObject({ created: true, updated: false, user: { login: 'root', admin: true, active: true } });

      const same = await bootstrapUser(db, { login: 'root', admin: true, machine: false, token: 'boot-token' });
      expect(same).toMatchObject({ created: false, updated: false });
      expect(same.user.id).toBe(created.user.id);

      const changed = await bootstrapUser(db, { login: 'root', admin: false, machine: true, token: 'new-token' });
      expect(changed).toMatchObject({ created: false, updated: true, user: { admin: false, machine: true } });
      expect((await findUserByToken(db, 'new-token'))?.id).toBe(created.user.id);
      expect(await findUserByToken(db, 'boot-token')).toBeUndefined();

      // Without a token, an existing token is kept.
      await bootstrapUser(db, { login: 'root', admin: true, machine: true });
      expect((await findUserByToken(db, 'new-token'))?.admin).toBe(true);

      await expect(bootstrapUser(db, { login: 'robot', admin: false, machine: true })).rejects.toThrow(/missing token/);
      await expect(bootstrapUser(db, { login: 'thief', admin: true, machine: false, token: 'new-token' })).rejects.toThrow(BootstrapError);
      expect(await findUserByLogin(db, 'thief')).toBeUndefined();
    });

    it.each([1, 2, 3, 4, 5])('bootstraps safely when two servers start together (round %i)', async () => {
      const source = await target.datasource();
      const first = await openMigrated(source);
      // SQLite: one server per file, so two concurrent calls on it; PostgreSQL: two servers' pools.
      const second = dialect === 'postgres' ? await openMigrated(source) : first;
      const input = { login: 'admin', admin: true, machine: false, token: 'shared-token' };

      const results = await Promise.all([bootstrapUser(first.db, input), bootstrapUser(second.db, input)]);

      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0].user.id).toBe(results[1].user.id);
      const count = await first.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1);
    });
  });

  describe('repos and perms', () => {
    it('creates a local repository with Drone’s defaults and fresh keys', async () => {
      const { db } = await openMigrated();
      const owner = await createUser(db, { login: 'octocat' });
      const repo = await createRepo(db, { user_id: owner.id, namespace: 'octocat', name: 'hello', default_branch: 'main' });

      expect(repo).toMatchObject({ slug: 'octocat/hello', timeout: 60, config_path: '.drone.yml', version: 1, counter: 0,
        active: false, visibility: 'public', archived: false });
      expect(repo.signer).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(repo.secret).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(repo.secret).not.toBe(repo.signer);
      expect(repo.uid).not.toBe('');

      const shown = await findRepoBySlug(db, 'octocat/hello');
      expect(shown).toEqual(await findRepoById(db, repo.id));
      expect(shown).not.toHaveProperty('signer');
      expect(shown).not.toHaveProperty('secret');
      expect(await findRepoBySlug(db, 'octocat/other')).toBeUndefined();
      // Drone-read columns are never NULL.
      const row = await db.selectFrom('repos').selectAll().where('repo_id', '=', repo.id).executeTakeFirstOrThrow();
      expect(Object.entries(row).filter(([, v]) => v === null)).toEqual([]);
    });

    it('updates with a version bump and refuses a stale version', async () => {
      const { db } = await openMigrated();
      const repo = await createRepo(db, { user_id: 1, namespace: 'octocat', name: 'hello' });

      const updated = await updateRepo(db, { ...repo, active: true, trusted: true, throttle: 3, timeout: 90 });
      expect(updated).toMatchObject({ version: 2, active: true, trusted: true, throttle: 3, timeout: 90 });
      expect(updated?.secret).toBe(repo.secret);

      expect(await updateRepo(db, { ...repo, active: false })).toBeUndefined();
      expect(await findRepoWithKeysById(db, repo.id)).toMatchObject({ version: 2, active: true });
    });

    it('lists a user’s repositories through perms, by slug, and upserts perms', async () => {
      const { db } = await openMigrated();
      const zeta = await createRepo(db, { user_id: 1, namespace: 'org', name: 'zeta' });
      const alpha = await createRepo(db, { user_id: 1, namespace: 'org', name: 'alpha' });
      await createRepo(db, { user_id: 1, namespace: 'org', name: 'hidden' });
      await upsertPerm(db, { user_id: 7, repo_uid: zeta.uid, read: true, write: false, admin: false });
      await upsertPerm(db, { user_id: 7, repo_uid: alpha.uid, read: true, write: false, admin: false });
      await upsertPerm(db, { user_id: 8, repo_uid: alpha.uid, read: true, write: true, admin: true });

      expect((await listReposForUser(db, 7)).map((r) => r.slug)).toEqual(['org/alpha', 'org/zeta']);

      await upsertPerm(db, { user_id: 7, repo_uid: alpha.uid, read: true, write: true, admin: false, synced: 123 });
      expect(await findPerm(db, 7, alpha.uid)).toMatchObject({ read: true, write: true, admin: false, synced: 123 });
      expect(await findPerm(db, 9, alpha.uid)).toBeUndefined();
    });
  });

  describe('secrets', () => {
    // PostgreSQL enforces Drone's foreign key from secrets to repos.
    async function twoRepos(db: OpenDatabase['db']): Promise<[number, number]> {
      const one = await createRepo(db, { user_id: 1, namespace: 'org', name: 'one' });
      const two = await createRepo(db, { user_id: 1, namespace: 'org', name: 'two' });
      return [one.id, two.id];
    }

    it('stores repo secrets encrypted in Drone’s layout and lists them without values', async () => {
      const { db } = await openMigrated();
      const [repo1, repo2] = await twoRepos(db);
      const encrypter = createEncrypter(KEY);
      const secret = await createSecret(db, encrypter, repo1, { name: 'password', data: 'hunter2', pull_request: true });
      expect(secret).toEqual({ id: expect.any(Number), repo_id: repo1, name: 'password', pull_request: true });
      await createSecret(db, encrypter, repo1, { name: 'api_key', data: 'k' });
      await createSecret(db, encrypter, repo2, { name: 'other_repo', data: 'x' });

      const stored = await db.selectFrom('secrets').select('secret_data').where('secret_id', '=', secret.id!).executeTakeFirstOrThrow();
      const bytes = Buffer.from(stored.secret_data as Buffer);
      expect(bytes).toHaveLength(12 + 'hunter2'.length + 16);
      const decipher = createDecipheriv('aes-256-gcm', Buffer.from(KEY), bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      expect(Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString()).toBe('hunter2');

      expect((await listSecrets(db, repo1)).map((s) => s.name)).toEqual(['api_key', 'password']);
      expect((await listSecrets(db, repo1)).every((s) => s.data === undefined)).toBe(true);
      expect(await findSecret(db, repo1, 'password')).toEqual(secret);
      expect(await decryptRunnerSecrets(db, encrypter, repo1, 'org')).toEqual([
        { id: expect.any(Number), repo_id: repo1, name: 'api_key', data: 'k' },
        { ...secret, data: 'hunter2' },
      ]);
      await expect(decryptRunnerSecrets(db, createEncrypter('f'.repeat(32)), repo1, 'org')).rejects.toThrow(EncryptionError);
    });

    it('updates and deletes repo secrets', async () => {
      const { db } = await openMigrated();
      const [repo] = await twoRepos(db);
      const encrypter = createEncrypter(KEY);
      await createSecret(db, encrypter, repo, { name: 'token', data: 'old' });

      expect(await updateSecret(db, encrypter, repo, 'token', { data: 'new', pull_request_push: true })).toBe(true);
      expect(await updateSecret(db, encrypter, repo, 'missing', { data: 'x' })).toBe(false);
      expect(await decryptRunnerSecrets(db, encrypter, repo, 'org')).toEqual([
        { id: expect.any(Number), repo_id: repo, name: 'token', data: 'new', pull_request_push: true },
      ]);

      expect(await deleteSecret(db, repo, 'token')).toBe(true);
      expect(await deleteSecret(db, repo, 'token')).toBe(false);
      expect(await listSecrets(db, repo)).toEqual([]);
    });

    it('stores plaintext bytes without a key, and lists org secrets by namespace', async () => {
      const { db } = await openMigrated();
      const plain = createEncrypter(undefined);
      await createOrgSecret(db, plain, 'acme', { name: 'npm', data: 'npm-token', type: '' });
      await createOrgSecret(db, plain, 'acme', { name: 'docker', data: 'd', pull_request: true });
      await createOrgSecret(db, plain, 'other', { name: 'npm', data: 'not-acme' });

      const stored = await db.selectFrom('orgsecrets').select('secret_data').where('secret_name', '=', 'npm')
        .where('secret_namespace', '=', 'acme').executeTakeFirstOrThrow();
      expect(Buffer.from(stored.secret_data as Buffer).toString()).toBe('npm-token');

      expect(await listOrgSecrets(db, 'acme')).toEqual([
        { id: expect.any(Number), namespace: 'acme', name: 'docker', pull_request: true },
        { id: expect.any(Number), namespace: 'acme', name: 'npm' },
      ]);
      expect((await decryptRunnerSecrets(db, plain, 0, 'acme')).map((s) => s.data)).toEqual(['d', 'npm-token']);
    });
  });

  describe('logs', () => {
    it('writes, replaces and reads a step’s log byte for byte', async () => {
      const { db } = await openMigrated();
      const first = Buffer.from('[{"pos":0,"out":"héllo\\n","time":0}]');
      await writeLog(db, 5, first);
      expect((await findLog(db, 5))?.equals(first)).toBe(true);

      const second = Buffer.from('[{"pos":0,"out":"héllo\\n","time":0},{"pos":1,"out":"bye\\n","time":1}]');
      await writeLog(db, 5, second);
      expect((await findLog(db, 5))?.equals(second)).toBe(true);
      expect(await findLog(db, 6)).toBeUndefined();
    });

    it('inserts chunks in bulk and reads a step’s chunks in line order', async () => {
      const { db } = await openMigrated();
      const line = (pos: number) => ({ pos, out: `line ${pos}\n`, time: pos });
      await insertLogChunks(db, [
        { stepId: 1, firstPos: 2, lastPos: 3, lines: [line(2), line(3)] },
        { stepId: 2, firstPos: 0, lastPos: 0, lines: [line(0)] },
        { stepId: 1, firstPos: 0, lastPos: 1, lines: [line(0), line(1)] },
      ]);

      const chunks = await listLogChunks(db, 1);
      expect(chunks.map((c) => [c.firstPos, c.lastPos])).toEqual([[0, 1], [2, 3]]);
      expect(chunks.flatMap((c) => c.lines)).toEqual([line(0), line(1), line(2), line(3)]);

      // More chunks than one statement carries.
      const many = Array.from({ length: 2500 }, (_, i) => ({ stepId: 3, firstPos: i, lastPos: i, lines: [line(i)] }));
      await insertLogChunks(db, many);
      expect(await listLogChunks(db, 3)).toHaveLength(2500);

      await deleteLogChunks(db, 1);
      expect(await listLogChunks(db, 1)).toEqual([]);
      expect(await listLogChunks(db, 2)).toHaveLength(1);
    });
  });
});
