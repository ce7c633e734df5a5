// Collaborators: the users with a permission row on a repository, as Drone's collaborators API shows them.

import type { Kysely } from 'kysely';
import type { Collaborator } from '../core/types.js';
import { rowToPermFields } from './repos.js';
import { toNumber, toText } from './rows.js';
import type { Database } from './schema.js';

function collaboratorQuery(db: Kysely<Database>, repoUid: string) {
  return db
    .selectFrom('perms')
    .innerJoin('users', 'users.user_id', 'perms.perm_user_id')
    .select([
      'perms.perm_user_id',
      'perms.perm_repo_uid',
      'users.user_login',
      'users.user_avatar',
      'perms.perm_read',
      'perms.perm_write',
      'perms.perm_admin',
      'perms.perm_synced',
      'perms.perm_created',
      'perms.perm_updated',
    ])
    .where('perms.perm_repo_uid', '=', repoUid);
}

type CollaboratorRow = Awaited<ReturnType<ReturnType<typeof collaboratorQuery>['executeTakeFirstOrThrow']>>;

function rowToCollaborator(row: CollaboratorRow): Collaborator {
  return {
    user_id: toNumber(row.perm_user_id),
    repo_id: toText(row.perm_repo_uid),
    login: toText(row.user_login),
    avatar: toText(row.user_avatar),
    ...rowToPermFields(row),
  };
}

export async function listCollaborators(db: Kysely<Database>, repoUid: string): Promise<Collaborator[]> {
  const rows = await collaboratorQuery(db, repoUid).orderBy('users.user_login').execute();
  return rows.map(rowToCollaborator);
}

export async function findCollaborator(db: Kysely<Database>, repoUid: string, userId: number): Promise<Collaborator | undefined> {
  const row = await collaboratorQuery(db, repoUid).where('perms.perm_user_id', '=', userId).executeTakeFirst();
  return row && rowToCollaborator(row);
}
