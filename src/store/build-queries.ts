// Views and housekeeping across builds: the queue and incomplete lists an admin reads, the purge of old
// builds, and the builds a new push supersedes (auto-cancel). Lists read unfinished stages through their
// status (indexed for pending and running), never by scanning finished history.

import type { Kysely } from 'kysely';
import type { BuildQueries, IncompleteStage, RepoBuild } from '../core/store.js';
import { writeTransaction, type Dialect } from './dialect.js';
import { deleteBuilds } from './build-deletion.js';
import { rowToBuild, rowToRepo, rowToStage, toNumber } from './rows.js';
import { literalList } from './literals.js';
import type { Database } from './schema.js';

const UNFINISHED = ['pending', 'running'] as const;

export function createBuildQueries(db: Kysely<Database>, dialect: Dialect): BuildQueries {
  const unfinishedBuildIds = db.selectFrom('stages').select('stage_build_id').where('stage_status', 'in', literalList(UNFINISHED));
  return {
    async incomplete(limit): Promise<RepoBuild[]> {
      const rows = await db
        .selectFrom('builds')
        .innerJoin('repos', 'repo_id', 'build_repo_id')
        .selectAll()
        .where('build_id', 'in', unfinishedBuildIds)
        .orderBy('build_id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ repo: rowToRepo(row), build: rowToBuild(row) }));
    },

    incompleteStages: (limit) => stagesWithStatus(db, UNFINISHED, limit),

    async purge(repoId, before) {
      return writeTransaction(db, dialect, async (trx) => {
        await deleteBuilds(trx, trx.selectFrom('builds').select('build_id').where('build_repo_id', '=', repoId).where('build_number', '<', before));
        const deleted = await trx.deleteFrom('builds').where('build_repo_id', '=', repoId).where('build_number', '<', before).executeTakeFirst();
        return toNumber(deleted.numDeletedRows);
      });
    },

    async removeRepository(repoId) {
      await writeTransaction(db, dialect, async (trx) => {
        const repo = await trx.selectFrom('repos').select('repo_uid').where('repo_id', '=', repoId).executeTakeFirst();
        if (!repo) return;
        await deleteBuilds(trx, trx.selectFrom('builds').select('build_id').where('build_repo_id', '=', repoId));
        await trx.deleteFrom('builds').where('build_repo_id', '=', repoId).execute();
        const crons = trx.selectFrom('cron').select('cron_id').where('cron_repo_id', '=', repoId);
        await trx.deleteFrom('hangar_cron_intents').where('intent_cron_id', 'in', crons).execute();
        await trx.deleteFrom('cron').where('cron_repo_id', '=', repoId).execute();
        await trx.deleteFrom('secrets').where('secret_repo_id', '=', repoId).execute();
        await trx.deleteFrom('latest').where('latest_repo_id', '=', repoId).execute();
        await trx.deleteFrom('perms').where('perm_repo_uid', '=', repo.repo_uid).execute();
        await trx.deleteFrom('repos').where('repo_id', '=', repoId).execute();
      });
    },

    async superseded(build, statuses) {
      const rows = await db
        .selectFrom('builds')
        .select('build_id')
        .where('build_repo_id', '=', build.repo_id)
        .where('build_number', '<', build.number)
        .where('build_event', '=', build.event)
        .where('build_ref', '=', build.ref)
        .where('build_status', 'in', statuses)
        .execute();
      return rows.map((row) => toNumber(row.build_id));
    },
  };
}

/** Stages in one of `statuses` (each status indexed where it is rare), oldest first, with build and repository. */
export async function stagesWithStatus(db: Kysely<Database>, statuses: readonly string[], limit: number): Promise<IncompleteStage[]> {
  const rows = await db
    .selectFrom('stages')
    .innerJoin('builds', 'build_id', 'stage_build_id')
    .innerJoin('repos', 'repo_id', 'build_repo_id')
    .selectAll()
    .where('stage_status', 'in', literalList(statuses))
    .orderBy('stage_id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ repo: rowToRepo(row), build: rowToBuild(row), stage: rowToStage(row) }));
}
