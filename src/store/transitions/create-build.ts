// A new build: the repo counter, the build, its stages, its idempotency key and its converted YAML are
// written in one transaction (DESIGN §3.3, §3.7). Incrementing the counter locks the repo row first, so
// the stage ids of a repository follow commit order. A key already taken answers the existing build. On
// PostgreSQL all of it is one statement (postgres/create-build.ts).

import { NotFoundError } from '../../core/errors.js';
import type { CreateBuildInput } from '../../core/store.js';
import { type Insertable, type Kysely, sql } from 'kysely';
import { isUniqueViolation, sqlNowMs, writeTransaction } from '../dialect.js';
import { insertRows, insertValues, queryShape, shapesByKey } from '../query-shape.js';
import type { BuildRow, StageRow } from '../rows.js';
import type { Database } from '../schema.js';
import { type TransitionContext, type Trx, nowSeconds } from './context.js';
import { stagesOfBuild } from './locks.js';
import { latestEntryOf, newBuildRow, newStageRows } from './new-build-rows.js';
import { insertBuildStatement } from './postgres/create-build.js';

type Db = Kysely<Database>;

const countedRepo = queryShape((db: Db, v: { repoId: number }) =>
  db
    .updateTable('repos')
    .set({ repo_counter: sql<number>`repo_counter + 1`, repo_version: sql<number>`repo_version + 1` })
    .where('repo_id', '=', v.repoId)
    .returning(['repo_counter', 'repo_throttle']),
);

/** Rows of `table` with `clock` set from the database's clock: one shape per set of columns (query-shape.ts). */
function insertedWithClock<T extends 'builds' | 'stages'>(table: T, clock: 'hangar_created_ms' | 'hangar_pending_ms') {
  return shapesByKey((key) =>
    queryShape((db: Db, v: Record<string, unknown>, dialect) =>
      db
        .insertInto(table)
        .values(insertRows(key, v).map((row) => ({ ...row, [clock]: sqlNowMs(dialect) })) as Insertable<Database[T]>[])
        .returningAll(),
    ),
  );
}
const insertedBuild = insertedWithClock('builds', 'hangar_created_ms');
const insertedStages = insertedWithClock('stages', 'hangar_pending_ms');

export interface CreatedRows {
  build: BuildRow;
  stages: StageRow[];
  duplicate: boolean;
}

export async function createBuild(ctx: TransitionContext, input: CreateBuildInput): Promise<CreatedRows> {
  try {
    if (ctx.dialect === 'postgres') return { ...(await insertBuildStatement(ctx, input)), duplicate: false };
    return await writeTransaction(ctx.db, ctx.dialect, (trx) => insertBuild(ctx, trx, input));
  } catch (err) {
    // Two servers inserting the same key at once: the loser's insert fails on the key; answer the winner.
    if (input.dedupKey && isUniqueViolation(err)) {
      const existing = await ctx.db.transaction().execute((trx) => findByKey(trx, input.dedupKey as string));
      if (existing) return existing;
    }
    throw err;
  }
}

async function insertBuild(ctx: TransitionContext, trx: Trx, input: CreateBuildInput): Promise<CreatedRows> {
  if (input.dedupKey) {
    const existing = await findByKey(trx, input.dedupKey);
    if (existing) return existing;
  }
  const now = nowSeconds();
  const repo = await countedRepo.first(trx, { repoId: input.repoId });
  if (!repo) throw new NotFoundError(`repository ${input.repoId} not found`);

  // hangar_created_ms comes from the database's clock, in the statement.
  const buildRow = insertValues([{ ...newBuildRow(input, Number(repo.repo_counter), now), hangar_created_ms: undefined }]);
  const build = await insertedBuild(buildRow.key).one(trx, buildRow.values);

  const stages = input.stages.length === 0 ? [] : await insertStages(trx, input, build, Number(repo.repo_throttle), now);
  if (input.config) {
    await trx.insertInto('hangar_build_configs').values({ config_build_id: build.build_id, config_path: input.config.path, config_data: input.config.data }).execute();
  }
  if (input.dedupKey) {
    await trx.insertInto('hangar_build_keys').values({ key_value: input.dedupKey, key_build_id: build.build_id, key_created: now }).execute();
  }
  await indexLatest(trx, build, now);
  return { build, stages, duplicate: false };
}

async function insertStages(trx: Trx, input: CreateBuildInput, build: BuildRow, throttle: number, now: number): Promise<StageRow[]> {
  const rows = insertValues(newStageRows(input, build.build_id, throttle, now));
  const inserted = await insertedStages(rows.key).rows(trx, rows.values);
  return inserted.sort((a, b) => Number(a.stage_number) - Number(b.stage_number));
}

async function indexLatest(trx: Trx, build: BuildRow, now: number): Promise<void> {
  const entry = latestEntryOf(build);
  if (!entry) return;
  await trx
    .insertInto('latest')
    .values({
      latest_repo_id: build.build_repo_id,
      latest_build_id: build.build_id,
      latest_type: entry.type,
      latest_name: entry.name,
      latest_created: now,
      latest_updated: now,
      latest_deleted: now,
    })
    .onConflict((oc) => oc.columns(['latest_repo_id', 'latest_type', 'latest_name']).doUpdateSet({ latest_build_id: build.build_id, latest_updated: now }))
    .execute();
}

async function findByKey(trx: Trx, key: string): Promise<CreatedRows | undefined> {
  const hit = await trx.selectFrom('hangar_build_keys').select('key_build_id').where('key_value', '=', key).executeTakeFirst();
  if (!hit) return undefined;
  const build = await trx.selectFrom('builds').selectAll().where('build_id', '=', hit.key_build_id).executeTakeFirst();
  if (!build) return undefined;
  return { build, stages: await stagesOfBuild(trx, build.build_id), duplicate: true };
}
