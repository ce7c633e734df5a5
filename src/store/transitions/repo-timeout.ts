// A stage's run deadline counts from its start plus its repository's timeout, read inside the stage
// update (no statement of its own).

import { type Expression, sql } from 'kysely';

/** The repository's timeout in milliseconds: 60 minutes when unset, never less than 1 (a runner treats 0 as already expired). */
export function repoTimeoutMs(repoId: number | Expression<unknown>) {
  return sql<number>`COALESCE((SELECT CASE WHEN repo_timeout IS NULL OR repo_timeout = 0 THEN 60 WHEN repo_timeout < 1 THEN 1 ELSE repo_timeout END FROM repos WHERE repo_id = ${repoId}), 60) * 60000`;
}
