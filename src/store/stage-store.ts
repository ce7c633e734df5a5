// Reads of stages and steps. The step → stage lookup is cached: every log batch and upload asks it, and a
// step never moves to another stage.

import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { BoundedMap } from '../core/bounded-map.js';
import type { StageStore } from '../core/store.js';
import type { Dialect } from './dialect.js';
import type { Encrypter } from './encrypt.js';
import { queryShape } from './query-shape.js';
import { jsonAggregate, rowToBuild, rowToRepoWithKeys, rowToStage, rowToStep, toNumber, type StageRow } from './rows.js';
import type { Database } from './schema.js';
import { decryptRunnerSecretColumns, runnerSecretColumns, secretsForEvent } from './secrets.js';

const CACHE_LIMIT = 10_000;

// Every column of a stage row, for SQLite's json_object, which must name each one. A record, so that a
// column added to the table and not here fails to compile.
const STAGE_COLUMN_SET: Record<keyof StageRow, true> = {
  stage_id: true,
  stage_repo_id: true,
  stage_build_id: true,
  stage_number: true,
  stage_name: true,
  stage_kind: true,
  stage_type: true,
  stage_status: true,
  stage_error: true,
  stage_errignore: true,
  stage_exit_code: true,
  stage_limit: true,
  stage_os: true,
  stage_arch: true,
  stage_variant: true,
  stage_kernel: true,
  stage_machine: true,
  stage_started: true,
  stage_stopped: true,
  stage_created: true,
  stage_updated: true,
  stage_version: true,
  stage_on_success: true,
  stage_on_failure: true,
  stage_depends_on: true,
  stage_labels: true,
  stage_limit_repo: true,
  hangar_reserved_until: true,
  hangar_lease_until: true,
  hangar_deadline: true,
  hangar_attempt: true,
  hangar_steps_started: true,
  hangar_pending_ms: true,
};
const STAGE_COLUMNS = Object.keys(STAGE_COLUMN_SET) as (keyof StageRow)[];

/** Drone may have written these as BLOBs, which SQLite's json_object refuses. */
const JSON_COLUMNS: ReadonlySet<keyof StageRow> = new Set(['stage_depends_on', 'stage_labels']);

/**
 * The stages of the outer query's build, by number, as one JSON array of stage rows (keys are the column
 * names): PostgreSQL turns the whole row into JSON; SQLite needs every column named.
 */
function buildStagesJson(eb: ExpressionBuilder<Database, 'builds'>, dialect: Dialect) {
  const siblings = eb.selectFrom('stages as siblings').whereRef('siblings.stage_build_id', '=', 'builds.build_id');
  if (dialect === 'postgres') return siblings.select(sql<unknown>`json_agg(${sql.table('siblings')} order by ${sql.ref('siblings.stage_number')})`.as('stages'));
  const pairs = STAGE_COLUMNS.map((column) => {
    const value = JSON_COLUMNS.has(column) ? sql`cast(${sql.ref(`siblings.${column}`)} as text)` : sql.ref(`siblings.${column}`);
    return sql`${sql.lit(column)}, ${value}`;
  });
  return siblings.select(sql<unknown>`json_group_array(json_object(${sql.join(pairs)}) order by ${sql.ref('siblings.stage_number')})`.as('stages'));
}

const stageWithContext = queryShape((db: Kysely<Database>, v: { id: number }, dialect) =>
  db
    .selectFrom('stages')
    .innerJoin('builds', 'builds.build_id', 'stages.stage_build_id')
    .innerJoin('repos', 'repos.repo_id', 'builds.build_repo_id')
    .leftJoin('hangar_build_configs', 'hangar_build_configs.config_build_id', 'builds.build_id')
    .selectAll(['stages', 'builds', 'repos'])
    .select((eb) => ['hangar_build_configs.config_path', 'hangar_build_configs.config_data', buildStagesJson(eb, dialect).as('build_stages'), ...runnerSecretColumns(dialect)])
    .where('stages.stage_id', '=', v.id),
);

export function createStageStore(db: Kysely<Database>, dialect: Dialect, encrypter: Encrypter): StageStore {
  const stageOfStepCache = new BoundedMap<number, number>(CACHE_LIMIT);
  const ownerCache = new BoundedMap<number, { buildId: number; repoId: number }>(CACHE_LIMIT);
  return {
    async find(id) {
      const row = await db.selectFrom('stages').selectAll().where('stage_id', '=', id).executeTakeFirst();
      return row && rowToStage(row);
    },

    async withContext(id) {
      const row = await stageWithContext.first(db, { id });
      if (!row) return undefined;
      const config = row.config_path === null || row.config_data === null ? undefined : { path: row.config_path, data: row.config_data };
      const build = rowToBuild(row);
      return {
        stage: rowToStage(row),
        build,
        stages: jsonAggregate<StageRow>(row.build_stages).map(rowToStage),
        repo: rowToRepoWithKeys(row),
        config,
        runnerSecrets: () => secretsForEvent(decryptRunnerSecretColumns(encrypter, row.runner_repo_secrets, row.runner_org_secrets), build.event),
      };
    },

    async stageOfStep(stepId) {
      const cached = stageOfStepCache.get(stepId);
      if (cached !== undefined) return cached;
      const row = await db.selectFrom('steps').select('step_stage_id').where('step_id', '=', stepId).executeTakeFirst();
      if (!row) return undefined;
      const stageId = toNumber(row.step_stage_id);
      stageOfStepCache.set(stepId, stageId);
      return stageId;
    },

    async owner(stageId) {
      const cached = ownerCache.get(stageId);
      if (cached) return cached;
      const row = await db.selectFrom('stages').select(['stage_build_id', 'stage_repo_id']).where('stage_id', '=', stageId).executeTakeFirst();
      if (!row) return undefined;
      const owner = { buildId: toNumber(row.stage_build_id), repoId: toNumber(row.stage_repo_id) };
      ownerCache.set(stageId, owner);
      return owner;
    },

    async findStep(id) {
      const row = await db.selectFrom('steps').selectAll().where('step_id', '=', id).executeTakeFirst();
      return row && rowToStep(row);
    },

    async findStepByNumbers(buildId, stageNumber, stepNumber) {
      const row = await db
        .selectFrom('steps')
        .innerJoin('stages', 'stages.stage_id', 'steps.step_stage_id')
        .selectAll('steps')
        .where('stages.stage_build_id', '=', buildId)
        .where('stages.stage_number', '=', stageNumber)
        .where('steps.step_number', '=', stepNumber)
        .executeTakeFirst();
      return row && rowToStep(row);
    },
  };
}
