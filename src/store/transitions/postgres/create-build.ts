// A new build as one statement: the repository's counter (its row lock orders the repository's builds),
// the build, its stages, its configuration, its idempotency key and Drone's latest-build index. Either
// all of it is written or none: a key already taken fails the whole statement with a unique violation,
// which create-build.ts answers with the existing build.

import { type RawBuilder, sql } from 'kysely';
import { NotFoundError } from '../../../core/errors.js';
import type { CreateBuildInput } from '../../../core/store.js';
import { onceMoreIfTransient, sqlNowMs } from '../../dialect.js';
import type { BuildRow, StageRow } from '../../rows.js';
import { nowSeconds, type TransitionContext } from '../context.js';
import { latestEntryOf, newBuildRow, newStageRows } from '../new-build-rows.js';
import { columnNames, columnsOf, jsonParam } from './fragments.js';

interface Row {
  hangar_build: BuildRow;
  hangar_stages: StageRow[] | null;
}

export async function insertBuildStatement(ctx: TransitionContext, input: CreateBuildInput): Promise<{ build: BuildRow; stages: StageRow[] }> {
  const now = nowSeconds();
  const nowMs = sqlNowMs('postgres');
  const buildRow = newBuildRow(input, 0, now);
  const buildColumns = definedColumns(buildRow, ['build_number', 'hangar_created_ms']);
  const stageRows = newStageRows(input, 0, 0, now);
  const stageColumns = stageRows.length > 0 ? definedColumns(stageRows[0], ['stage_build_id', 'stage_limit_repo']) : [];
  const latest = latestEntryOf(buildRow as Pick<BuildRow, 'build_event' | 'build_target' | 'build_ref' | 'build_deploy'>);

  const parts: RawBuilder<unknown>[] = [
    sql`counter AS (
      UPDATE repos SET repo_counter = repo_counter + 1, repo_version = repo_version + 1 WHERE repo_id = ${input.repoId}
      RETURNING repo_counter, repo_throttle)`,
    sql`new_build AS (
      INSERT INTO builds (${columnNames(buildColumns)}, build_number, hangar_created_ms)
      SELECT ${columnsOf('body', buildColumns)}, counter.repo_counter, ${nowMs}
      FROM counter, jsonb_populate_record(NULL::builds, ${jsonParam(buildRow)}) AS body
      RETURNING *)`,
  ];
  if (stageRows.length > 0) {
    parts.push(sql`new_stages AS (
      INSERT INTO stages (${columnNames(stageColumns)}, stage_build_id, stage_limit_repo, hangar_pending_ms)
      SELECT ${columnsOf('body', stageColumns)}, new_build.build_id, counter.repo_throttle, ${nowMs}
      FROM new_build, counter, jsonb_populate_recordset(NULL::stages, ${jsonParam(stageRows)}) AS body
      RETURNING *)`);
  }
  if (input.config) {
    parts.push(sql`new_config AS (
      INSERT INTO hangar_build_configs (config_build_id, config_path, config_data)
      SELECT build_id, ${input.config.path}::text, ${input.config.data}::text FROM new_build)`);
  }
  if (input.dedupKey) {
    parts.push(sql`new_key AS (
      INSERT INTO hangar_build_keys (key_value, key_build_id, key_created) SELECT ${input.dedupKey}::text, build_id, ${now}::integer FROM new_build)`);
  }
  if (latest) {
    parts.push(sql`latest_entry AS (
      INSERT INTO latest (latest_repo_id, latest_build_id, latest_type, latest_name, latest_created, latest_updated, latest_deleted)
      SELECT build_repo_id, build_id, ${latest.type}::text, ${latest.name}::text, ${now}::integer, ${now}::integer, ${now}::integer FROM new_build
      ON CONFLICT (latest_repo_id, latest_type, latest_name) DO UPDATE SET latest_build_id = EXCLUDED.latest_build_id, latest_updated = EXCLUDED.latest_updated)`);
  }
  const readStages = stageRows.length > 0 ? sql`(SELECT json_agg(s ORDER BY s.stage_number) FROM new_stages s)` : sql`NULL::json`;
  const statement = sql<Row>`WITH ${sql.join(parts)} SELECT row_to_json(new_build) AS hangar_build, ${readStages} AS hangar_stages FROM new_build`;

  const row = (await onceMoreIfTransient(() => statement.execute(ctx.db))).rows[0];
  if (!row) throw new NotFoundError(`repository ${input.repoId} not found`);
  return { build: row.hangar_build, stages: row.hangar_stages ?? [] };
}

/** The columns a row sets (undefined leaves the column to its default, as Kysely's insert does), less those the statement fills. */
function definedColumns(row: object, filledByStatement: readonly string[]): string[] {
  return Object.entries(row)
    .filter(([column, value]) => value !== undefined && !filledByStatement.includes(column))
    .map(([column]) => column);
}
