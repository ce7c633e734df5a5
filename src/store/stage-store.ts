// Reads of stages and steps. The step → stage lookup is cached: every log batch and upload asks it, and a
// step never moves to another stage.

import type { Kysely } from 'kysely';
import type { StageStore } from '../core/store.js';
import { rowToBuild, rowToRepoWithKeys, rowToStage, rowToStep, toNumber } from './rows.js';
import type { Database } from './schema.js';

const CACHE_LIMIT = 10_000;

export function createStageStore(db: Kysely<Database>): StageStore {
  const stageOfStepCache = new Map<number, number>();
  const ownerCache = new Map<number, { buildId: number; repoId: number }>();
  return {
    async find(id) {
      const row = await db.selectFrom('stages').selectAll().where('stage_id', '=', id).executeTakeFirst();
      return row && rowToStage(row);
    },

    async withContext(id) {
      const row = await db
        .selectFrom('stages')
        .innerJoin('builds', 'builds.build_id', 'stages.stage_build_id')
        .innerJoin('repos', 'repos.repo_id', 'builds.build_repo_id')
        .leftJoin('hangar_build_configs', 'hangar_build_configs.config_build_id', 'builds.build_id')
        .selectAll(['stages', 'builds', 'repos'])
        .select(['hangar_build_configs.config_path', 'hangar_build_configs.config_data'])
        .where('stages.stage_id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      const config = row.config_path === null || row.config_data === null ? undefined : { path: row.config_path, data: row.config_data };
      return { stage: rowToStage(row), build: rowToBuild(row), repo: rowToRepoWithKeys(row), config };
    },

    async stageOfStep(stepId) {
      const cached = stageOfStepCache.get(stepId);
      if (cached !== undefined) return cached;
      const row = await db.selectFrom('steps').select('step_stage_id').where('step_id', '=', stepId).executeTakeFirst();
      if (!row) return undefined;
      const stageId = toNumber(row.step_stage_id);
      if (stageOfStepCache.size >= CACHE_LIMIT) stageOfStepCache.delete(stageOfStepCache.keys().next().value as number);
      stageOfStepCache.set(stepId, stageId);
      return stageId;
    },

    async owner(stageId) {
      const cached = ownerCache.get(stageId);
      if (cached) return cached;
      const row = await db.selectFrom('stages').select(['stage_build_id', 'stage_repo_id']).where('stage_id', '=', stageId).executeTakeFirst();
      if (!row) return undefined;
      const owner = { buildId: toNumber(row.stage_build_id), repoId: toNumber(row.stage_repo_id) };
      if (ownerCache.size >= CACHE_LIMIT) ownerCache.delete(ownerCache.keys().next().value as number);
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
