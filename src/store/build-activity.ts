// Counts for GET /api/system/stats: all builds, the builds with pending and with running stages, and the
// incomplete stages per platform. The stage queries read only pending and running rows (the partial index
// ix_stage_in_progress); the total is one COUNT.

import { type Kysely, sql } from 'kysely';
import type { BuildActivity } from '../core/store.js';
import { toNumber, toText } from './rows.js';
import { literalList } from './literals.js';
import type { Database } from './schema.js';

const INCOMPLETE = ['pending', 'running'] as const;

export async function buildActivity(db: Kysely<Database>): Promise<BuildActivity> {
  const [total, builds, stages] = await Promise.all([
    db.selectFrom('builds').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    db
      .selectFrom('stages')
      .select(['stage_status', sql<number>`count(distinct stage_build_id)`.as('n')])
      .where('stage_status', 'in', literalList(INCOMPLETE))
      .groupBy('stage_status')
      .execute(),
    db
      .selectFrom('stages')
      .select(['stage_os', 'stage_arch', 'stage_variant', 'stage_kernel', 'stage_status', sql<number>`count(*)`.as('n')])
      .where('stage_status', 'in', literalList(INCOMPLETE))
      .groupBy(['stage_os', 'stage_arch', 'stage_variant', 'stage_kernel', 'stage_status'])
      .execute(),
  ]);
  const buildsWith = (status: string) => toNumber(builds.find((row) => row.stage_status === status)?.n ?? 0);
  return {
    total: toNumber(total.n),
    pendingBuilds: buildsWith('pending'),
    runningBuilds: buildsWith('running'),
    stages: stages.map((row) => ({
      os: toText(row.stage_os),
      arch: toText(row.stage_arch),
      variant: toText(row.stage_variant),
      kernel: toText(row.stage_kernel),
      status: row.stage_status === 'running' ? 'running' : 'pending',
      count: toNumber(row.n),
    })),
  };
}
