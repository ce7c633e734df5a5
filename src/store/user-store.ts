// Users for the API and for logins: lookups, the DRONE_USER_CREATE bootstrap, accounts created by a first
// login, and the SCM tokens (encrypted with DRONE_DATABASE_ENCRYPT_USER_TABLE, as Drone does).

import type { Kysely } from 'kysely';
import type { Token } from '../core/scm.js';
import type { UserStore } from '../core/store.js';
import type { Dialect } from './dialect.js';
import type { Database } from './schema.js';
import { countUsers, createApiUser, deleteUser, findApiToken, listUsers, rotateApiToken, updateUser } from './user-admin.js';
import type { UserStoreOptions } from './users.js';
import {
  bootstrapUser,
  createAccount,
  endUserSessions,
  findSessionUser,
  findUserById,
  findUserByLogin,
  findUserByToken,
  findUserSecrets,
  markUserSynced,
  markUserSyncing,
  recordLogin,
  replaceOAuthToken,
} from './users.js';
import { unixSeconds } from './random.js';
import { findUserWithRepo } from './user-with-repo.js';

/** A provider token as the users table keeps it. */
function oauthColumns(token: Token): { oauthToken: string; oauthRefresh: string; oauthExpiry: number } {
  return { oauthToken: token.access, oauthRefresh: token.refresh, oauthExpiry: token.expiry };
}

export function createUserStore(db: Kysely<Database>, options: UserStoreOptions & { dialect?: Dialect }): UserStore {
  // Without a dialect (store tests), write transactions begin as the driver's default.
  const dialect = options.dialect ?? 'postgres';
  return {
    find: (id) => findUserById(db, id),
    findSessionUser: (id) => findSessionUser(db, id),
    endSessions: (id, at) => endUserSessions(db, id, at),
    findByLogin: (login) => findUserByLogin(db, login),
    findByToken: (token) => findUserByToken(db, token),
    findWithRepo: (key, slug) => findUserWithRepo(db, key, slug),
    bootstrap: async (input) => (await bootstrapUser(db, input)).user,
    createAccount: ({ token, ...account }) => createAccount(db, { ...account, ...oauthColumns(token), lastLogin: unixSeconds() }, options),
    recordLogin: (userId, { token, ...profile }) => recordLogin(db, userId, { ...profile, ...oauthColumns(token) }, options),
    async scmToken(userId) {
      const secrets = await findUserSecrets(db, userId, options);
      if (!secrets || !secrets.oauthToken) return undefined;
      return { access: secrets.oauthToken, refresh: secrets.oauthRefresh, expiry: secrets.oauthExpiry };
    },
    replaceScmToken: (userId, previous, next) => replaceOAuthToken(db, userId, previous, next, options),
    markSyncing: (userId) => markUserSyncing(db, userId, true),
    markSynced: (userId, at) => markUserSynced(db, userId, at),
    list: () => listUsers(db),
    count: () => countUsers(db),
    create: (input) => createApiUser(db, input),
    update: (userId, patch) => updateUser(db, dialect, userId, patch),
    delete: (userId) => deleteUser(db, dialect, userId),
    apiToken: (userId) => findApiToken(db, userId),
    rotateToken: (userId) => rotateApiToken(db, userId),
  };
}
