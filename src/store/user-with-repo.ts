// Who is asking and which repository they ask about, in one statement: an API request under
// /repos/{owner}/{name} needs both, and on a cluster each statement is a round trip to the database.

import { type Kysely, sql } from 'kysely';
import type { UserKey, UserWithRepo } from '../core/store.js';
import { queryShape } from './query-shape.js';
import { type RepoRow, type UserRow, rowToRepoWithKeys, rowToUser } from './rows.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** The user found by `column` and the repository by slug: one row whatever matches, each table left-joined to a constant row. */
function userWithRepo(column: 'users.user_hash' | 'users.user_id') {
  return queryShape((db: Db, v: { user: string | number; slug: string }) =>
    db
      .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('one'))
      .leftJoin('users', (join) => join.on(column, '=', v.user as never))
      .leftJoin('repos', (join) => join.on('repos.repo_slug', '=', v.slug))
      .selectAll(['users', 'repos']),
  );
}
const byToken = userWithRepo('users.user_hash');
const byId = userWithRepo('users.user_id');

export async function findUserWithRepo(db: Db, key: UserKey, slug: string): Promise<UserWithRepo> {
  const row = 'token' in key ? await byToken.first(db, { user: key.token, slug }) : await byId.first(db, { user: key.id, slug });
  if (!row) return {};
  const found: UserWithRepo = {};
  // An empty token is nobody's, whatever rows have an empty user_hash.
  if (row.user_id !== null && !('token' in key && key.token === '')) {
    found.user = rowToUser(row as UserRow);
    if ('id' in key) found.sessionsAfter = Number(row.hangar_sessions_after);
  }
  if (row.repo_id !== null) found.repo = rowToRepoWithKeys(row as RepoRow);
  return found;
}
