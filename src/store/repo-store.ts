// Repositories for the API: enabling a local git repository (creating it when new, with admin permission
// for its owner), syncing what an SCM lists, patching settings through Drone's versioned update, and the
// permissions cache.

import type { Kysely } from 'kysely';
import type { NewLocalRepo, RepoPatch, RepoStore } from '../core/store.js';
import type { RemoteRepo } from '../core/scm.js';
import type { RepoWithKeys } from '../core/types.js';
import { isUniqueViolation } from './dialect.js';
import { rowToRepo } from './rows.js';
import { findCollaborator, listCollaborators } from './collaborators.js';
import { listRecentBuilds, listReposWithLatestBuild } from './repo-activity.js';
import {
  countActiveRepos,
  createRepo,
  deletePerm,
  deletePermsExcept,
  findPerm,
  findReposByUid,
  findRepoWithKeysById,
  findRepoWithKeysBySlug,
  findRepoWithKeysByUid,
  insertRemoteRepos,
  listReposForUser,
  remoteChanged,
  updateRepo,
  upsertPerm,
  upsertPerms,
} from './repos.js';
import { unixSeconds } from './random.js';
import type { Database } from './schema.js';

/** A versioned update races with other writers (a build's counter increment); retry on a lost race. */
const UPDATE_ATTEMPTS = 5;

export function createRepoStore(db: Kysely<Database>): RepoStore {
  async function patchRepo(id: number, change: (repo: RepoWithKeys) => RepoWithKeys): Promise<RepoWithKeys | undefined> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const current = await findRepoWithKeysById(db, id);
      if (!current) return undefined;
      const updated = await updateRepo(db, change(current));
      if (updated) return updated;
    }
    throw new Error(`repository ${id} kept changing while being updated`);
  }

  /**
   * Brings one known repository up to the SCM's description. When its new name is still held by another row
   * (a repository deleted or renamed on the SCM), that row steps aside to `name~uid` — to take its own new
   * name in the next pass if the SCM listed it — so one stale row can never stop every later sync.
   */
  async function applyRemote(stored: RepoWithKeys, remote: RemoteRepo): Promise<void> {
    const update = () => patchRepo(stored.id, (current) => ({ ...current, ...remoteFields(current, remote), synced: unixSeconds() }));
    try {
      await update();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (await stepAside(remote)) await update();
    }
  }

  /** The row holding `remote`'s name under another uid moves to `name~uid`; false when there is none. */
  async function stepAside(remote: RemoteRepo): Promise<boolean> {
    const holder = await findRepoWithKeysBySlug(db, remote.slug);
    if (!holder || holder.uid === remote.uid) return false;
    await patchRepo(holder.id, (current) => ({ ...current, name: `${current.name}~${current.uid}`, slug: `${current.slug}~${current.uid}` }));
    return true;
  }

  return {
    find: (id) => findRepoWithKeysById(db, id),
    findBySlug: (slug) => findRepoWithKeysBySlug(db, slug),

    async enableLocal(input: NewLocalRepo) {
      const slug = `${input.namespace}/${input.name}`;
      let repo = await findRepoWithKeysBySlug(db, slug);
      if (!repo) {
        repo = await createRepo(db, {
          user_id: input.ownerId,
          namespace: input.namespace,
          name: input.name,
          scm: 'git',
          git_http_url: input.gitHttpUrl,
          default_branch: input.defaultBranch,
          private: input.private,
          visibility: input.visibility,
          active: true,
          config_path: input.configPath,
        });
      } else {
        const enabled = await patchRepo(repo.id, (current) => ({
          ...current,
          active: true,
          user_id: input.ownerId,
          git_http_url: input.gitHttpUrl,
          default_branch: input.defaultBranch,
          private: input.private,
          visibility: input.visibility,
          config_path: input.configPath,
        }));
        if (!enabled) throw new Error(`repository ${slug} vanished while being enabled`);
        repo = enabled;
      }
      await upsertPerm(db, { user_id: input.ownerId, repo_uid: repo.uid, read: true, write: true, admin: true });
      return repo;
    },

    update: (id, patch: RepoPatch) => patchRepo(id, (current) => applyPatch(current, patch)),

    listForUser: (userId) => listReposForUser(db, userId),

    async listAll(page, perPage) {
      const rows = await db
        .selectFrom('repos')
        .selectAll()
        .orderBy('repo_slug')
        .limit(perPage)
        .offset((page - 1) * perPage)
        .execute();
      return rows.map(rowToRepo);
    },

    async permissions(userId, repoUid) {
      const perm = await findPerm(db, userId, repoUid);
      return perm && { read: perm.read, write: perm.write, admin: perm.admin, synced: perm.synced };
    },

    findByUid: (uid) => findRepoWithKeysByUid(db, uid),

    async syncRemote(remotes, defaults) {
      const uids = remotes.map((remote) => remote.uid);
      const known = await findReposByUid(db, uids);
      // Renames first, so a name given up in this very sync is free for the repository taking it; twice, for
      // repositories that stepped aside for another one in the first pass (two that swapped names).
      for (let pass = 0; pass < 2; pass++) {
        const current = pass === 0 ? known : await findReposByUid(db, uids);
        for (const remote of remotes) {
          const stored = current.get(remote.uid);
          if (stored && remoteChanged(stored, remote)) await applyRemote(stored, remote);
        }
      }
      const fresh = remotes.filter((remote) => !known.has(remote.uid));
      await insertRemoteRepos(db, fresh, { ...defaults, ownerId: 0 });
      let all = await findReposByUid(db, uids);
      // A new repository whose name a stale row still holds: that row steps aside, then the insert is repeated.
      const blocked = fresh.filter((remote) => !all.has(remote.uid));
      if (blocked.length > 0) {
        for (const remote of blocked) await stepAside(remote);
        await insertRemoteRepos(db, blocked, { ...defaults, ownerId: 0 });
        all = await findReposByUid(db, uids);
      }
      return remotes.flatMap((remote) => all.get(remote.uid) ?? []);
    },

    async replacePermissions(userId, perms) {
      const synced = unixSeconds();
      await upsertPerms(db, userId, perms, synced);
      await deletePermsExcept(db, userId, new Set(perms.map((perm) => perm.repoUid)));
    },

    async setPermissions(userId, repoUid, perms) {
      if (perms) await upsertPerm(db, { user_id: userId, repo_uid: repoUid, ...perms });
      else await deletePerm(db, userId, repoUid);
    },

    listWithLatestBuild: (userId) => listReposWithLatestBuild(db, userId),
    listRecentBuilds: (userId, limit) => listRecentBuilds(db, userId, limit),
    countActive: () => countActiveRepos(db),
    collaborators: (repoUid) => listCollaborators(db, repoUid),
    collaborator: (repoUid, userId) => findCollaborator(db, repoUid, userId),
  };
}

/**
 * The columns a sync takes from the SCM. Visibility is Hangar's setting (an admin may hide a public
 * repository's builds): it follows the SCM only when the repository turns private or public there.
 */
function remoteFields(current: RepoWithKeys, remote: RemoteRepo): Partial<RepoWithKeys> {
  const { uid: _uid, archived: _archived, permissions: _permissions, visibility, ...fields } = remote;
  return current.private === remote.private ? fields : { ...fields, visibility };
}

function applyPatch(repo: RepoWithKeys, patch: RepoPatch): RepoWithKeys {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as RepoPatch;
  return { ...repo, ...defined };
}
