// Reads of builds and their stages for the API and the runner protocol.

import { type Kysely, sql } from 'kysely';
import type { BuildListQuery, BuildStore } from '../core/store.js';
import type { Build, Stage } from '../core/types.js';
import { buildActivity } from './build-activity.js';
import { queryShape } from './query-shape.js';
import { rowToBuild, rowToStage, rowToStep, toNumber } from './rows.js';
import { ValidatedPageCache } from './validated-page-cache.js';
import { literalList } from './literals.js';
import type { Database } from './schema.js';

const buildById = queryShape((db: Kysely<Database>, v: { id: number }) => db.selectFrom('builds').selectAll().where('build_id', '=', v.id));
const buildByNumber = queryShape((db: Kysely<Database>, v: { repoId: number; number: number }) =>
  db.selectFrom('builds').selectAll().where('build_repo_id', '=', v.repoId).where('build_number', '=', v.number),
);

interface PageValues {
  repoId: number;
  ref: string;
  limit: number;
  offset: number;
}

/** A page of a repository's builds, newest first, or of one ref's: its ids and versions, and its rows. */
function pageShapes(byRef: boolean) {
  const page = (db: Kysely<Database>, v: PageValues) => {
    const select = db.selectFrom('builds').where('build_repo_id', '=', v.repoId);
    return (byRef ? select.where('build_ref', '=', v.ref) : select).orderBy('build_id', 'desc').limit(v.limit).offset(v.offset);
  };
  return {
    heads: queryShape((db: Kysely<Database>, v: PageValues) => page(db, v).select(['build_id', 'build_version'])),
    rows: queryShape((db: Kysely<Database>, v: PageValues) => page(db, v).selectAll()),
  };
}
const pageOfRepo = pageShapes(false);
const pageOfRef = pageShapes(true);

export function createBuildStore(db: Kysely<Database>): BuildStore {
  // Build lists are read far more often than builds change (dashboards, the UI, `drone build ls`).
  const pages = new ValidatedPageCache<Build>();
  return {
    async find(id) {
      const row = await buildById.first(db, { id });
      return row && rowToBuild(row);
    },

    async findByNumber(repoId, number) {
      const row = await buildByNumber.first(db, { repoId, number });
      return row && rowToBuild(row);
    },

    async list(query: BuildListQuery): Promise<Build[]> {
      const values: PageValues = { repoId: query.repoId, ref: query.ref ?? '', limit: query.perPage, offset: (query.page - 1) * query.perPage };
      const shapes = query.ref ? pageOfRef : pageOfRepo;
      const heads = await shapes.heads.rows(db, values);
      const key = `${query.repoId}\0${query.ref ?? ''}\0${query.page}\0${query.perPage}`;
      return pages.read(
        key,
        heads.map((head) => ({ id: toNumber(head.build_id), version: toNumber(head.build_version) })),
        async () => (await shapes.rows.rows(db, values)).map(rowToBuild),
      );
    },

    async stages(buildId, withSteps): Promise<Stage[]> {
      const stages = (await db.selectFrom('stages').selectAll().where('stage_build_id', '=', buildId).orderBy('stage_number').execute()).map(rowToStage);
      if (!withSteps || stages.length === 0) return stages;
      // One query for the steps of every stage (no query per stage).
      const steps = await db
        .selectFrom('steps')
        .selectAll()
        .where(
          'step_stage_id',
          'in',
          stages.map((stage) => stage.id),
        )
        .orderBy('step_stage_id')
        .orderBy('step_number')
        .execute();
      const byStage = new Map<number, Stage>(stages.map((stage) => [stage.id, { ...stage, steps: [] }]));
      for (const step of steps) byStage.get(toNumber(step.step_stage_id))?.steps?.push(rowToStep(step));
      return [...byStage.values()];
    },

    async config(buildId) {
      const row = await db.selectFrom('hangar_build_configs').select(['config_path', 'config_data']).where('config_build_id', '=', buildId).executeTakeFirst();
      return row && { path: row.config_path, data: row.config_data };
    },

    async counts() {
      // Both partial indexes on pending/running rows make these cheap.
      const builds = await db
        .selectFrom('builds')
        .select(['build_status as status', sql<number>`count(*)`.as('n')])
        .where('build_status', 'in', literalList(['pending', 'running']))
        .groupBy('build_status')
        .execute();
      const stages = await db
        .selectFrom('stages')
        .select(['stage_status as status', sql<number>`count(*)`.as('n')])
        .where('stage_status', 'in', literalList(['pending', 'running']))
        .groupBy('stage_status')
        .execute();
      const count = (rows: Array<{ status: string; n: number }>, status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
      return {
        pendingBuilds: count(builds, 'pending'),
        runningBuilds: count(builds, 'running'),
        pendingStages: count(stages, 'pending'),
        runningStages: count(stages, 'running'),
      };
    },

    async latest(repoId, ref) {
      const row = await db
        .selectFrom('builds')
        .selectAll()
        .where('build_repo_id', '=', repoId)
        .where('build_ref', '=', ref)
        .orderBy('build_id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && rowToBuild(row);
    },

    activity: () => buildActivity(db),
  };
}
