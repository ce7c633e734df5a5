// What a repository sync and a login write, on both dialects: repositories matched by the SCM's id (a rename
// keeps the row and its builds), permissions replaced as a whole, SCM tokens renewed only over the token
// that was renewed, and accounts created once when two logins race.

import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteRepo } from '../../../src/core/scm.js';
import type { RepoStore, UserStore } from '../../../src/core/store.js';
import type { OpenDatabase } from '../../../src/store/db.js';
import { createEncrypter } from '../../../src/store/encrypt.js';
import { migrate } from '../../../src/store/migrate.js';
import { createRepoStore } from '../../../src/store/repo-store.js';
import { createUserStore } from '../../../src/store/user-store.js';
import { storeTargets } from '../../support/stores.js';

const remote = (uid: string, slug: string, overrides: Partial<RemoteRepo> = {}): RemoteRepo => {
  const [namespace, name] = slug.split('/');
  return {
    uid,
    namespace,
    name,
    slug,
    git_http_url: `https://git.example.com/${slug}.git`,
    git_ssh_url: `git@git.example.com:${slug}.git`,
    link: `https://git.example.com/${slug}`,
    default_branch: 'main',
    private: true,
    visibility: 'private',
    archived: false,
    permissions: { read: true, write: true, admin: false },
    ...overrides,
  };
};

describe.each(storeTargets)('SCM sync and logins on %s', (_dialect, target) => {
  const opened: OpenDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((o) => o.close()));
  });

  async function stores(): Promise<{ repos: RepoStore; users: UserStore }> {
    const database = await target.open(await target.datasource());
    opened.push(database);
    await migrate(database.db, database.dialect);
    return { repos: createRepoStore(database.db), users: createUserStore(database.db, { oauthEncrypter: createEncrypter('0123456789abcdef0123456789abcdef') }) };
  }

  it('inserts new repositories inactive, and follows a rename by the SCM id, keeping settings and counter', async () => {
    const { repos } = await stores();
    const [first] = await repos.syncRemote([remote('101', 'octocat/hello')], { scm: 'github', trusted: false });
    expect(first).toMatchObject({ uid: '101', slug: 'octocat/hello', active: false, scm: 'github', config_path: '.drone.yml', timeout: 60 });
    await repos.update(first.id, { active: true, counter: 41, config_path: '.ci.yml' });

    const [renamed] = await repos.syncRemote([remote('101', 'octo-org/hello-world', { private: false, visibility: 'public', default_branch: 'trunk' })], { scm: 'github', trusted: false });
    expect(renamed).toMatchObject({ id: first.id, slug: 'octo-org/hello-world', namespace: 'octo-org', name: 'hello-world', private: false, visibility: 'public', default_branch: 'trunk' });
    expect(renamed).toMatchObject({ active: true, counter: 41, config_path: '.ci.yml', signer: first.signer });
    expect(await repos.findBySlug('octocat/hello')).toBeUndefined();
    expect((await repos.findByUid('101'))?.id).toBe(first.id);
  });

  it('survives names changing hands: two repositories swapping names, and a name taken from a repository gone from the SCM', async () => {
    const { repos } = await stores();
    const defaults = { scm: 'github', trusted: false };
    const [a, b, gone] = await repos.syncRemote([remote('1', 'o/a'), remote('2', 'o/b'), remote('3', 'o/old')], defaults);
    const swapped = await repos.syncRemote([remote('1', 'o/b'), remote('2', 'o/a')], defaults);
    expect(swapped.map((repo) => [repo.id, repo.slug])).toEqual([[a.id, 'o/b'], [b.id, 'o/a']]);
    // o/old was deleted on the SCM and a new repository took its name.
    const [taken] = await repos.syncRemote([remote('4', 'o/old')], defaults);
    expect(taken.id).not.toBe(gone.id);
    expect((await repos.findByUid('3'))?.slug).toBe('o/old~3');
  });

  it("keeps Hangar's visibility of a repository until it turns private or public on the SCM", async () => {
    const { repos } = await stores();
    const defaults = { scm: 'github', trusted: false };
    const [repo] = await repos.syncRemote([remote('9', 'o/public', { private: false, visibility: 'public' })], defaults);
    await repos.update(repo.id, { visibility: 'private' });
    const [again] = await repos.syncRemote([remote('9', 'o/public', { private: false, visibility: 'public', default_branch: 'dev' })], defaults);
    expect(again).toMatchObject({ visibility: 'private', default_branch: 'dev' });
    const [turned] = await repos.syncRemote([remote('9', 'o/public', { private: true, visibility: 'private' })], defaults);
    expect(turned).toMatchObject({ visibility: 'private', private: true });
  });

  it("replaces a user's permissions with exactly what the SCM lists", async () => {
    const { repos, users } = await stores();
    const user = await users.createAccount({ login: 'octocat', email: '', avatar: '', token: { access: 'a', refresh: '', expiry: 0 } });
    const synced = await repos.syncRemote([remote('1', 'o/a'), remote('2', 'o/b'), remote('3', 'o/c')], { scm: 'gitea', trusted: true });
    expect(synced.every((repo) => repo.trusted)).toBe(true);
    await repos.replacePermissions(user.id, synced.map((repo) => ({ repoUid: repo.uid, read: true, write: true, admin: repo.uid === '1' })));
    expect((await repos.listForUser(user.id)).map((repo) => repo.slug)).toEqual(['o/a', 'o/b', 'o/c']);
    // The next sync, the same second: the user lost access to o/b.
    await repos.replacePermissions(user.id, [
      { repoUid: '1', read: true, write: false, admin: false },
      { repoUid: '3', read: true, write: true, admin: true },
    ]);
    expect((await repos.listForUser(user.id)).map((repo) => repo.slug)).toEqual(['o/a', 'o/c']);
    expect(await repos.permissions(user.id, '1')).toMatchObject({ read: true, write: false, admin: false });
    await repos.setPermissions(user.id, '3', undefined);
    expect(await repos.permissions(user.id, '3')).toBeUndefined();
  });

  it('renews a token only over the one that was renewed, encrypted at rest', async () => {
    const { users } = await stores();
    const user = await users.createAccount({ login: 'gitlab-user', email: 'g@example.com', avatar: '', token: { access: 'a1', refresh: 'r1', expiry: 1000 } });
    expect(await users.scmToken(user.id)).toEqual({ access: 'a1', refresh: 'r1', expiry: 1000 });
    expect(await users.replaceScmToken(user.id, { access: 'a1', refresh: 'r1', expiry: 1000 }, { access: 'a2', refresh: 'r2', expiry: 2000 })).toBe(true);
    // A second server renewing from the same old token loses.
    expect(await users.replaceScmToken(user.id, { access: 'a1', refresh: 'r1', expiry: 1000 }, { access: 'a3', refresh: 'r3', expiry: 3000 })).toBe(false);
    expect(await users.scmToken(user.id)).toEqual({ access: 'a2', refresh: 'r2', expiry: 2000 });
  });

  it('creates one account when two first logins of the same user race', async () => {
    const { users } = await stores();
    const token = { access: 'a', refresh: '', expiry: 0 };
    const [a, b] = await Promise.all([users.createAccount({ login: 'racer', email: '', avatar: '', token }), users.createAccount({ login: 'racer', email: '', avatar: '', token })]);
    expect(a.id).toBe(b.id);
    const returning = await users.recordLogin(a.id, { email: 'new@example.com', avatar: 'https://avatar', token: { access: 'b', refresh: '', expiry: 0 } });
    expect(returning).toMatchObject({ email: 'new@example.com', avatar: 'https://avatar' });
    expect(returning?.last_login).toBeGreaterThan(0);
    expect((await users.scmToken(a.id))?.access).toBe('b');
  });
});
