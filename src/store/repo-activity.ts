// Repositories shown with builds: the user's list with each repository's latest build
// (`GET /api/user/repos?latest=true`) and the newest builds across the user's repositories
// (`GET /api/user/builds`). One statement each; repos and builds columns never share a name.

import type { Kysely } from 'kysely';
import type { Repo } from '../core/types.js';
import { type BuildRow, type RepoRow, rowToBuild, rowToRepo } from './rows.js';
import type { Database } from './schema.js';

/** The user's readable repositories by slug, each with its highest-numbered build (the unique index finds it). */
export async function listReposWithLatestBuild(db: Kysely<Database>, userId: number): Promise<Repo[]> {
  const rows = await db
    .selectFrom('repos')
    .innerJoin('perms', 'perms.perm_repo_uid', 'repos.repo_uid')
    .leftJoin('builds', (join) =>
      join.on((eb) =>
        eb(
          'builds.build_id',
          '=',
          eb.selectFrom('builds as newest').select('newest.build_id').whereRef('newest.build_repo_id', '=', 'repos.repo_id').orderBy('newest.build_number', 'desc').limit(1),
        ),
      ),
    )
    .selectAll('repos')
    .selectAll('builds')
    .where('perms.perm_user_id', '=', userId)
    .where('perms.perm_read', '=', true)
    .orderBy('repos.repo_slug', 'asc')
    .execute();
  return rows.map((row) => withBuild(row as RepoRow & Partial<BuildRow>));
}

/** The newest `limit` builds of the user's readable repositories, newest first, each as its repository with `build`. */
export async function listRecentBuilds(db: Kysely<Database>, userId: number, limit: number): Promise<Repo[]> {
  const rows = await db
    .selectFrom('repos')
    .innerJoin('perms', 'perms.perm_repo_uid', 'repos.repo_uid')
    .innerJoin('builds', 'builds.build_repo_id', 'repos.repo_id')
    .selectAll('repos')
    .selectAll('builds')
    .where('perms.perm_user_id', '=', userId)
    .where('perms.perm_read', '=', true)
    .orderBy('builds.build_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => withBuild(row));
}

function withBuild(row: RepoRow & Partial<BuildRow>): Repo {
  const repo = rowToRepo(row);
  if (row.build_id === undefined || row.build_id === null) return repo;
  return { ...repo, build: rowToBuild(row as BuildRow) };
}
