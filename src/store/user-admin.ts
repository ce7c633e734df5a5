// Accounts managed through the API (`/api/users`, `/api/user`): listing, creation, changes, deletion and
// API tokens. Deactivating or deleting an account hands its repositories on in the same transaction, as
// Drone's transfer service does (research/drone-server.md §5.2).

import { type Kysely, sql, type Transaction } from 'kysely';
import type { NewUserInput, UserPatch, UserWrite } from '../core/store.js';
import type { User } from '../core/types.js';
import { type Dialect, isUniqueViolation, writeTransaction } from './dialect.js';
import { randomToken, unixSeconds } from './random.js';
import { transferRepos } from './repos.js';
import { rowToUser, toNumber, userToRow } from './rows.js';
import type { Database } from './schema.js';
import { findUserById, findUserByLogin } from './users.js';

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('user_login').execute();
  return rows.map(rowToUser);
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return toNumber(row.n);
}

/** An active account with no SCM tokens; a login or token already taken is a conflict, not an error. */
export async function createApiUser(db: Kysely<Database>, input: NewUserInput): Promise<UserWrite> {
  const now = unixSeconds();
  const token = input.token || randomToken();
  const row = userToRow(
    { login: input.login, email: input.email, avatar: input.avatar, admin: input.admin, machine: input.machine, active: true, syncing: false, synced: 0, created: now, updated: now, last_login: 0 },
    { hash: token, oauth_token: Buffer.alloc(0), oauth_refresh: Buffer.alloc(0), oauth_expiry: 0 },
  );
  // No conflict target: the login and the token are both unique, and PostgreSQL raises on any unique
  // index that is not the target.
  const inserted = await db.insertInto('users').values(row).onConflict((oc) => oc.doNothing()).returning('user_id').executeTakeFirst();
  if (!inserted) return { kind: 'conflict', field: (await findUserByLogin(db, input.login)) ? 'login' : 'token' };
  const user = await findUserById(db, inserted.user_id);
  if (!user) return { kind: 'not_found' };
  return { kind: 'ok', user, token };
}

export async function updateUser(db: Kysely<Database>, dialect: Dialect, userId: number, patch: UserPatch): Promise<UserWrite> {
  try {
    return await writeTransaction(db, dialect, async (trx) => {
      const changes = userColumns(patch);
      const updated = await trx.updateTable('users').set(changes).where('user_id', '=', userId).returningAll().executeTakeFirst();
      if (!updated) return { kind: 'not_found' } as const;
      if (patch.active === false) await transferRepos(trx, userId);
      return { kind: 'ok', user: rowToUser(updated), token: updated.user_hash } as const;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { kind: 'conflict', field: 'token' };
    throw err;
  }
}

/** The columns a patch writes; an inactive user is never an admin (it may still hold API access). */
function userColumns(patch: UserPatch) {
  return {
    user_updated: unixSeconds(),
    ...(patch.email !== undefined ? { user_email: patch.email } : {}),
    ...(patch.admin !== undefined ? { user_admin: patch.admin } : {}),
    ...(patch.machine !== undefined ? { user_machine: patch.machine } : {}),
    ...(patch.token ? { user_hash: patch.token } : {}),
    ...(patch.active !== undefined ? { user_active: patch.active } : {}),
    ...(patch.active === false ? { user_admin: false } : {}),
  };
}

export async function deleteUser(db: Kysely<Database>, dialect: Dialect, userId: number): Promise<boolean> {
  return writeTransaction(db, dialect, async (trx: Transaction<Database>) => {
    await transferRepos(trx, userId);
    await trx.deleteFrom('perms').where('perm_user_id', '=', userId).execute();
    const result = await trx.deleteFrom('users').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

export async function findApiToken(db: Kysely<Database>, userId: number): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('user_hash').where('user_id', '=', userId).executeTakeFirst();
  return row?.user_hash;
}

export async function rotateApiToken(db: Kysely<Database>, userId: number): Promise<string | undefined> {
  const token = randomToken();
  const result = await db.updateTable('users').set({ user_hash: token, user_updated: unixSeconds() }).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0 ? token : undefined;
}
