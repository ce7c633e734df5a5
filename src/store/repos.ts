// The repos and perms tables: lookups, creation for the local git provider, versioned updates, a user's
// repository list through perms, and perms themselves.

import { type Kysely, type Selectable, sql } from 'kysely';

import type { RemoteRepo } from '../core/scm.js';
import type { Permissions, Repo, RepoWithKeys } from '../core/types.js';
import { queryShape } from './query-shape.js';
import { randomToken, unixSeconds } from './random.js';
import { repoToRow, rowToRepo, rowToRepoWithKeys, toBool, toNumber, toText } from './rows.js';
import type { Database, PermsTable } from './schema.js';

export interface NewRepo {
  /** The SCM's id for the repository; a random one when absent (local git repositories have none). */
  uid?: string;
  user_id: number;
  namespace: string;
  name: string;
  scm?: string;
  git_http_url?: string;
  git_ssh_url?: string;
  link?: string;
  default_branch?: string;
  private?: boolean;
  visibility?: string;
  active?: boolean;
  trusted?: boolean;
  protected?: boolean;
  config_path?: string;
  timeout?: number;
}

const DEFAULT_TIMEOUT_MINUTES = 60;
const DEFAULT_CONFIG_PATH = '.drone.yml';

const repoById = queryShape((db: Kysely<Database>, v: { id: number }) => db.selectFrom('repos').selectAll().where('repo_id', '=', v.id));
const repoBySlug = queryShape((db: Kysely<Database>, v: { slug: string }) => db.selectFrom('repos').selectAll().where('repo_slug', '=', v.slug));

export async function findRepoById(db: Kysely<Database>, id: number): Promise<Repo | undefined> {
  const row = await repoById.first(db, { id });
  return row && rowToRepo(row);
}

/** `namespace/name`, case-sensitive as under Drone. */
export async function findRepoBySlug(db: Kysely<Database>, slug: string): Promise<Repo | undefined> {
  const row = await repoBySlug.first(db, { slug });
  return row && rowToRepo(row);
}

/** With the webhook signer and the repo secret: for hooks, signatures and runners only. */
export async function findRepoWithKeysById(db: Kysely<Database>, id: number): Promise<RepoWithKeys | undefined> {
  const row = await repoById.first(db, { id });
  return row && rowToRepoWithKeys(row);
}

export async function findRepoWithKeysBySlug(db: Kysely<Database>, slug: string): Promise<RepoWithKeys | undefined> {
  const row = await repoBySlug.first(db, { slug });
  return row && rowToRepoWithKeys(row);
}

/** Inserts a repo at version 1 with a fresh signer and secret, Drone's defaults for timeout and config. */
export async function createRepo(db: Kysely<Database>, input: NewRepo): Promise<RepoWithKeys> {
  const now = unixSeconds();
  const row = repoToRow({
    uid: input.uid ?? randomToken(),
    user_id: input.user_id,
    namespace: input.namespace,
    name: input.name,
    slug: `${input.namespace}/${input.name}`,
    scm: input.scm ?? '',
    git_http_url: input.git_http_url ?? '',
    git_ssh_url: input.git_ssh_url ?? '',
    link: input.link ?? '',
    default_branch: input.default_branch ?? 'main',
    private: input.private ?? false,
    visibility: input.visibility ?? (input.private ? 'private' : 'public'),
    active: input.active ?? false,
    config_path: input.config_path ?? DEFAULT_CONFIG_PATH,
    trusted: input.trusted ?? false,
    protected: input.protected ?? false,
    ignore_forks: false,
    ignore_pull_requests: false,
    auto_cancel_pull_requests: false,
    auto_cancel_pushes: false,
    auto_cancel_running: false,
    timeout: input.timeout ?? DEFAULT_TIMEOUT_MINUTES,
    counter: 0,
    synced: 0,
    created: now,
    updated: now,
    version: 1,
    archived: false,
    signer: randomToken(),
    secret: randomToken(),
  });
  const { repo_id } = await db.insertInto('repos').values(row).returning('repo_id').executeTakeFirstOrThrow();
  const repo = await findRepoWithKeysById(db, repo_id);
  if (!repo) throw new Error(`repo ${repo_id} vanished after insert`);
  return repo;
}

/**
 * Drone's versioned update: writes every column from `repo` and bumps the version, only if the row is
 * still at `repo.version`. Returns the stored repo, or undefined when someone else updated it first.
 */
export async function updateRepo(db: Kysely<Database>, repo: RepoWithKeys): Promise<RepoWithKeys | undefined> {
  const { repo_uid: _uid, ...columns } = repoToRow({ ...repo, updated: unixSeconds() });
  const result = await db
    .updateTable('repos')
    .set({ ...columns, repo_version: repo.version + 1 })
    .where('repo_id', '=', repo.id)
    .where('repo_version', '=', repo.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return findRepoWithKeysById(db, repo.id);
}

/** The repositories a user may read, by slug (Drone's `List`; a row with no permission is a cached refusal). */
export async function listReposForUser(db: Kysely<Database>, userId: number): Promise<Repo[]> {
  const rows = await db
    .selectFrom('repos')
    .innerJoin('perms', 'perms.perm_repo_uid', 'repos.repo_uid')
    .selectAll('repos')
    .where('perms.perm_user_id', '=', userId)
    .where('perms.perm_read', '=', true)
    .orderBy('repos.repo_slug', 'asc')
    .execute();
  return rows.map(rowToRepo);
}

export interface Perm extends Permissions {
  user_id: number;
  repo_uid: string;
  /** 0 means stale: re-check with the SCM. */
  synced: number;
  created: number;
  updated: number;
}

export async function findPerm(db: Kysely<Database>, userId: number, repoUid: string): Promise<Perm | undefined> {
  const row = await db
    .selectFrom('perms')
    .selectAll()
    .where('perm_user_id', '=', userId)
    .where('perm_repo_uid', '=', repoUid)
    .executeTakeFirst();
  if (!row) return undefined;
  return { user_id: toNumber(row.perm_user_id), repo_uid: toText(row.perm_repo_uid), ...rowToPermFields(row) };
}

/** The permission bits and times of a perms row. */
export function rowToPermFields(row: Pick<Selectable<PermsTable>, 'perm_read' | 'perm_write' | 'perm_admin' | 'perm_synced' | 'perm_created' | 'perm_updated'>) {
  return {
    read: toBool(row.perm_read),
    write: toBool(row.perm_write),
    admin: toBool(row.perm_admin),
    synced: toNumber(row.perm_synced),
    created: toNumber(row.perm_created),
    updated: toNumber(row.perm_updated),
  };
}

/** Creates or replaces a user's permissions on a repo (keyed by the repo's uid, as Drone keys them). */
export async function upsertPerm(db: Kysely<Database>, perm: { user_id: number; repo_uid: string; synced?: number } & Permissions): Promise<void> {
  const { user_id: userId, repo_uid: repoUid, synced, ...granted } = perm;
  await upsertPerms(db, userId, [{ repoUid, ...granted }], synced ?? unixSeconds());
}

export async function findRepoWithKeysByUid(db: Kysely<Database>, uid: string): Promise<RepoWithKeys | undefined> {
  if (uid === '') return undefined;
  const row = await db.selectFrom('repos').selectAll().where('repo_uid', '=', uid).executeTakeFirst();
  return row && rowToRepoWithKeys(row);
}

/** What a sync takes from the SCM; every other column is Hangar's (settings, counter, keys). */
export type RemoteRepoFields = Omit<RemoteRepo, 'permissions'>;

/** Statements stay well under SQLite's and PostgreSQL's limits on bound parameters. */
const CHUNK = 200;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function findReposByUid(db: Kysely<Database>, uids: string[]): Promise<Map<string, RepoWithKeys>> {
  const found = new Map<string, RepoWithKeys>();
  for (const part of chunks(uids)) {
    const rows = await db.selectFrom('repos').selectAll().where('repo_uid', 'in', part).execute();
    for (const row of rows) found.set(toText(row.repo_uid), rowToRepoWithKeys(row));
  }
  return found;
}

/**
 * Inserts repositories Hangar has not seen, inactive and with fresh keys, in multi-row statements. A slug
 * still held by another uid (a repository deleted on the SCM whose name was reused) is skipped.
 */
export async function insertRemoteRepos(db: Kysely<Database>, repos: RemoteRepoFields[], defaults: { scm: string; trusted: boolean; ownerId: number }): Promise<void> {
  const now = unixSeconds();
  for (const part of chunks(repos)) {
    const rows = part.map((repo) =>
      repoToRow({
        ...repo,
        user_id: defaults.ownerId,
        scm: defaults.scm,
        active: false,
        config_path: DEFAULT_CONFIG_PATH,
        trusted: defaults.trusted,
        protected: false,
        ignore_forks: false,
        ignore_pull_requests: false,
        auto_cancel_pull_requests: false,
        auto_cancel_pushes: false,
        auto_cancel_running: false,
        timeout: DEFAULT_TIMEOUT_MINUTES,
        counter: 0,
        synced: now,
        created: now,
        updated: now,
        version: 1,
        signer: randomToken(),
        secret: randomToken(),
      }),
    );
    await db.insertInto('repos').values(rows).onConflict((oc) => oc.doNothing()).execute();
  }
}

/** Whether the SCM describes a known repository differently than the table does (visibility is Hangar's). */
export function remoteChanged(stored: RepoWithKeys, remote: RemoteRepoFields): boolean {
  return (
    stored.namespace !== remote.namespace ||
    stored.name !== remote.name ||
    stored.slug !== remote.slug ||
    stored.git_http_url !== remote.git_http_url ||
    stored.git_ssh_url !== remote.git_ssh_url ||
    stored.link !== remote.link ||
    stored.default_branch !== remote.default_branch ||
    stored.private !== remote.private
  );
}

/** A user's permissions written in multi-row upserts, stamped `synced` (Unix seconds). */
export async function upsertPerms(db: Kysely<Database>, userId: number, perms: Array<Permissions & { repoUid: string }>, synced: number): Promise<void> {
  const now = unixSeconds();
  for (const part of chunks(perms)) {
    await db
      .insertInto('perms')
      .values(
        part.map((perm) => ({
          perm_user_id: userId,
          perm_repo_uid: perm.repoUid,
          perm_read: perm.read,
          perm_write: perm.write,
          perm_admin: perm.admin,
          perm_synced: synced,
          perm_created: now,
          perm_updated: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['perm_user_id', 'perm_repo_uid']).doUpdateSet((eb) => ({
          perm_read: eb.ref('excluded.perm_read'),
          perm_write: eb.ref('excluded.perm_write'),
          perm_admin: eb.ref('excluded.perm_admin'),
          perm_synced: eb.ref('excluded.perm_synced'),
          perm_updated: eb.ref('excluded.perm_updated'),
        })),
      )
      .execute();
  }
}

/** Removes the user's permission rows on every repository but `keep` (uids). */
export async function deletePermsExcept(db: Kysely<Database>, userId: number, keep: Set<string>): Promise<void> {
  const rows = await db.selectFrom('perms').select('perm_repo_uid').where('perm_user_id', '=', userId).execute();
  const gone = rows.map((row) => toText(row.perm_repo_uid)).filter((uid) => !keep.has(uid));
  for (const part of chunks(gone)) await db.deleteFrom('perms').where('perm_user_id', '=', userId).where('perm_repo_uid', 'in', part).execute();
}

export async function deletePerm(db: Kysely<Database>, userId: number, repoUid: string): Promise<void> {
  await db.deleteFrom('perms').where('perm_user_id', '=', userId).where('perm_repo_uid', '=', repoUid).execute();
}

/**
 * Drone's transfer service in one statement: every repository `userId` owns goes to the first (by login)
 * other active user with admin permission on it, or to no one (0). The version is bumped, as by every writer.
 */
export async function transferRepos(db: Kysely<Database>, userId: number): Promise<void> {
  await db
    .updateTable('repos')
    .set((eb) => ({
      repo_user_id: sql<number>`coalesce((${eb
        .selectFrom('perms')
        .innerJoin('users', 'users.user_id', 'perms.perm_user_id')
        .select('perms.perm_user_id')
        .whereRef('perms.perm_repo_uid', '=', 'repos.repo_uid')
        .where('perms.perm_admin', '=', true)
        .where('perms.perm_user_id', '<>', userId)
        .where('users.user_active', '=', true)
        .orderBy('users.user_login')
        .limit(1)}), 0)`,
      repo_version: eb('repo_version', '+', 1),
      repo_updated: unixSeconds(),
    }))
    .where('repo_user_id', '=', userId)
    .execute();
}

export async function countActiveRepos(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('repos').select(sql<number>`count(*)`.as('n')).where('repo_active', '=', true).executeTakeFirstOrThrow();
  return toNumber(row.n);
}
