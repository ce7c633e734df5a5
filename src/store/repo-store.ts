// Repositories for the API: enabling a local git repository (creating it when new, with admin permission
// for its owner), syncing what an SCM lists, patching settings through Drone's versioned update, and the
// permissions cache.

import type { Kysely } from 'kysely';
import type { NewLocalRepo, RepoPatch, RepoStore } from '../core/store.js';
import type { RemoteRepo } from '../core/scm.js';
import type { RepoWithKeys } from '../core/types.js';
import { rowToRepo } from './rows.js';
import {
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
      await insertRemoteRepos(db, remotes.filter((remote) => !known.has(remote.uid)), { ...defaults, ownerId: 0 });
      for (const remote of remotes) {
        const stored = known.get(remote.uid);
        if (stored && remoteChanged(stored, remote)) {
          await patchRepo(stored.id, (current) => ({ ...current, ...remoteFields(remote), synced: unixSeconds() }));
        }
      }
      const all = await findReposByUid(db, uids);
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
  };
}

/** The columns a sync takes from the SCM. */
function remoteFields(remote: RemoteRepo): Partial<RepoWithKeys> {
  const { uid: _uid, archived: _archived, permissions: _permissions, ...fields } = remote;
  return fields;
}

function applyPatch(repo: RepoWithKeys, patch: RepoPatch): RepoWithKeys {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as RepoPatch;
  return { ...repo, ...defined };
}
