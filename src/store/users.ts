// The users table: lookups by id, login and API token, creation, and the DRONE_USER_CREATE bootstrap.

import type { Kysely } from 'kysely';

import type { User } from '../core/types.js';
import type { Encrypter } from './encrypt.js';
import { queryShape } from './query-shape.js';
import { randomToken, unixSeconds } from './random.js';
import { rowToUser, toBytes, toNumber, toText, userToRow } from './rows.js';
import type { Database } from './schema.js';

export interface NewUser {
  login: string;
  email?: string;
  admin?: boolean;
  machine?: boolean;
  active?: boolean;
  avatar?: string;
  /** The API token (`user_hash`); a random 32-character one when absent. */
  token?: string;
  oauthToken?: string;
  oauthRefresh?: string;
  oauthExpiry?: number;
  /** Unix seconds of the login that creates the account; 0 for accounts created otherwise. */
  lastLogin?: number;
}

/** The parts of a user the API never shows. OAuth tokens come back decrypted. */
export interface UserSecrets {
  token: string;
  oauthToken: string;
  oauthRefresh: string;
  oauthExpiry: number;
}

export interface UserStoreOptions {
  /** DRONE_DATABASE_ENCRYPT_USER_TABLE: encrypt OAuth tokens; otherwise they are plaintext bytes. */
  oauthEncrypter?: Encrypter;
}

const userById = queryShape((db: Kysely<Database>, v: { id: number }) => db.selectFrom('users').selectAll().where('user_id', '=', v.id));
const userByToken = queryShape((db: Kysely<Database>, v: { token: string }) => db.selectFrom('users').selectAll().where('user_hash', '=', v.token));

export async function findUserById(db: Kysely<Database>, id: number): Promise<User | undefined> {
  const row = await userById.first(db, { id });
  return row && rowToUser(row);
}

/** The user of a browser session, with the time (ms) before which their sessions were ended. */
export async function findSessionUser(db: Kysely<Database>, id: number): Promise<{ user: User; sessionsAfter: number } | undefined> {
  const row = await userById.first(db, { id });
  return row && { user: rowToUser(row), sessionsAfter: Number(row.hangar_sessions_after) };
}

/** Signing out: every session of the user started before `at` (ms) is refused from now on, on every server. */
export async function endUserSessions(db: Kysely<Database>, id: number, at: number): Promise<void> {
  await db.updateTable('users').set({ hangar_sessions_after: at }).where('user_id', '=', id).where('hangar_sessions_after', '<', at).execute();
}

/** Case-insensitive on SQLite (Drone's NOCASE column), exact on PostgreSQL, as under Drone. */
export async function findUserByLogin(db: Kysely<Database>, login: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('user_login', '=', login).executeTakeFirst();
  return row && rowToUser(row);
}

/** The user whose API token this is (Drone keeps the token itself in `user_hash`). */
export async function findUserByToken(db: Kysely<Database>, token: string): Promise<User | undefined> {
  if (token === '') return undefined;
  const row = await userByToken.first(db, { token });
  return row && rowToUser(row);
}

export async function findUserSecrets(
  db: Kysely<Database>,
  id: number,
  options: UserStoreOptions = {},
): Promise<UserSecrets | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['user_hash', 'user_oauth_token', 'user_oauth_refresh', 'user_oauth_expiry'])
    .where('user_id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const decrypt = (value: unknown) => {
    const bytes = toBytes(value);
    return options.oauthEncrypter ? options.oauthEncrypter.decrypt(bytes) : bytes.toString('utf8');
  };
  return {
    token: toText(row.user_hash),
    oauthToken: decrypt(row.user_oauth_token),
    oauthRefresh: decrypt(row.user_oauth_refresh),
    oauthExpiry: toNumber(row.user_oauth_expiry),
  };
}

export async function createUser(db: Kysely<Database>, input: NewUser, options: UserStoreOptions = {}): Promise<User> {
  const { user_id } = await db
    .insertInto('users')
    .values(newUserRow(input, options))
    .returning('user_id')
    .executeTakeFirstOrThrow();
  const user = await findUserById(db, user_id);
  if (!user) throw new Error(`user ${user_id} vanished after insert`);
  return user;
}

export class BootstrapError extends Error {
  override name = 'BootstrapError';
}

export interface BootstrapResult {
  user: User;
  created: boolean;
  updated: boolean;
}

/**
 * DRONE_USER_CREATE: creates the account if its login is new; otherwise brings its token (when one is
 * given), admin and machine flags up to date, as Drone's bootstrapper does. Safe when two servers start
 * together: the insert does nothing on a login conflict, and both then apply the same update.
 */
export async function bootstrapUser(
  db: Kysely<Database>,
  input: { login: string; admin: boolean; machine: boolean; token?: string },
): Promise<BootstrapResult> {
  // Like Drone, a machine account needs a token only to be created; an existing one keeps its token.
  const canCreate = !(input.machine && !input.token);
  if (canCreate) {
    const inserted = await db
      .insertInto('users')
      .values(newUserRow({ ...input, active: true }))
      // No conflict target: a racing server's row conflicts on user_hash as well as on user_login, and
      // PostgreSQL would raise on any unique index that is not the target.
      .onConflict((oc) => oc.doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (inserted) {
      const user = await findUserById(db, inserted.user_id);
      if (!user) throw new Error(`user ${inserted.user_id} vanished after insert`);
      return { user, created: true, updated: false };
    }
  }

  const existing = await db.selectFrom('users').selectAll().where('user_login', '=', input.login).executeTakeFirst();
  if (!existing) {
    throw new BootstrapError(
      canCreate
        ? 'bootstrap: cannot create account, its token belongs to another account'
        : 'bootstrap: cannot create account, missing token',
    );
  }
  const current = rowToUser(existing);
  const newToken = input.token && input.token !== existing.user_hash ? input.token : undefined;
  if (!newToken && current.admin === input.admin && current.machine === input.machine) {
    return { user: current, created: false, updated: false };
  }
  await db
    .updateTable('users')
    .set({
      user_admin: input.admin,
      user_machine: input.machine,
      user_updated: unixSeconds(),
      ...(newToken ? { user_hash: newToken } : {}),
    })
    .where('user_id', '=', current.id)
    .execute();
  const user = await findUserById(db, current.id);
  if (!user) throw new Error(`user ${current.id} vanished during bootstrap`);
  return { user, created: false, updated: true };
}

function newUserRow(input: NewUser, options: UserStoreOptions = {}) {
  const now = unixSeconds();
  const encrypt = oauthEncoder(options);
  return userToRow(
    {
      login: input.login,
      email: input.email ?? '',
      admin: input.admin ?? false,
      machine: input.machine ?? false,
      active: input.active ?? true,
      avatar: input.avatar ?? '',
      syncing: false,
      synced: 0,
      created: now,
      updated: now,
      last_login: input.lastLogin ?? 0,
    },
    {
      hash: input.token || randomToken(),
      oauth_token: encrypt(input.oauthToken ?? ''),
      oauth_refresh: encrypt(input.oauthRefresh ?? ''),
      oauth_expiry: input.oauthExpiry ?? 0,
    },
  );
}

/** A first login's account: active, not admin, a random API token; on a racing insert, the winner's row. */
export async function createAccount(db: Kysely<Database>, input: NewUser, options: UserStoreOptions = {}): Promise<User> {
  const inserted = await db
    .insertInto('users')
    .values(newUserRow({ ...input, token: undefined, active: true }, options))
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  const user = inserted ? await findUserById(db, inserted.user_id) : await findUserByLogin(db, input.login);
  if (!user) throw new Error(`account ${input.login} could not be created`);
  return user;
}

/** A returning login: email and avatar from the SCM, its new token, `last_login` now. */
export async function recordLogin(
  db: Kysely<Database>,
  userId: number,
  input: { email: string; avatar: string; oauthToken: string; oauthRefresh: string; oauthExpiry: number },
  options: UserStoreOptions = {},
): Promise<User | undefined> {
  const now = unixSeconds();
  const encrypt = oauthEncoder(options);
  await db
    .updateTable('users')
    .set({
      user_email: input.email,
      user_avatar: input.avatar,
      user_oauth_token: encrypt(input.oauthToken),
      user_oauth_refresh: encrypt(input.oauthRefresh),
      user_oauth_expiry: input.oauthExpiry,
      user_last_login: now,
      user_updated: now,
    })
    .where('user_id', '=', userId)
    .execute();
  return findUserById(db, userId);
}

/**
 * Stores a renewed token only where the stored refresh token is still the one renewed: two servers renewing
 * at once cannot overwrite a newer token with an older one. (Compared on the expiry and, without
 * encryption, the refresh bytes; encrypted values differ at every write.)
 */
export async function replaceOAuthToken(
  db: Kysely<Database>,
  userId: number,
  previous: { refresh: string; expiry: number },
  next: { access: string; refresh: string; expiry: number },
  options: UserStoreOptions = {},
): Promise<boolean> {
  const encrypt = oauthEncoder(options);
  let query = db
    .updateTable('users')
    .set({ user_oauth_token: encrypt(next.access), user_oauth_refresh: encrypt(next.refresh), user_oauth_expiry: next.expiry, user_updated: unixSeconds() })
    .where('user_id', '=', userId)
    .where('user_oauth_expiry', '=', previous.expiry);
  if (!options.oauthEncrypter?.enabled) query = query.where('user_oauth_refresh', '=', Buffer.from(previous.refresh, 'utf8'));
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markUserSyncing(db: Kysely<Database>, userId: number, syncing: boolean): Promise<void> {
  await db.updateTable('users').set({ user_syncing: syncing }).where('user_id', '=', userId).execute();
}

export async function markUserSynced(db: Kysely<Database>, userId: number, at: number): Promise<void> {
  if (at <= 0) return markUserSyncing(db, userId, false);
  await db.updateTable('users').set({ user_synced: at, user_syncing: false }).where('user_id', '=', userId).execute();
}

function oauthEncoder(options: UserStoreOptions): (value: string) => Buffer {
  return (value) => (options.oauthEncrypter ? options.oauthEncrypter.encrypt(value) : Buffer.from(value, 'utf8'));
}
