// Deleting builds with everything that hangs off them (stages, steps, logs, chunks, cards, configuration,
// idempotency keys, the latest index), inside the caller's transaction: the purge of old builds and the
// removal of a repository share it.

import type { SelectQueryBuilder } from 'kysely';
import type { Trx } from './transitions/context.js';
import type { Database } from './schema.js';

type BuildIds = SelectQueryBuilder<Database, 'builds', { build_id: number }>;

export async function deleteBuilds(trx: Trx, builds: BuildIds): Promise<void> {
  const stages = trx.selectFrom('stages').select('stage_id').where('stage_build_id', 'in', builds);
  const steps = trx.selectFrom('steps').select('step_id').where('step_stage_id', 'in', stages);
  await trx.deleteFrom('logs').where('log_id', 'in', steps).execute();
  await trx.deleteFrom('cards').where('card_id', 'in', steps).execute();
  await trx.deleteFrom('hangar_log_chunks').where('chunk_step_id', 'in', steps).execute();
  await trx.deleteFrom('steps').where('step_stage_id', 'in', stages).execute();
  await trx.deleteFrom('stages').where('stage_build_id', 'in', builds).execute();
  await trx.deleteFrom('hangar_build_configs').where('config_build_id', 'in', builds).execute();
  await trx.deleteFrom('hangar_build_keys').where('key_build_id', 'in', builds).execute();
  await trx.deleteFrom('latest').where('latest_build_id', 'in', builds).execute();
}
