// Lease renewals (DESIGN §3.5), gathered per server and written once per tick in one statement each.
// Leases never bump a version: the runner holds the version, and a renewal must not make its next
// update a conflict. A lease is only ever extended, never shortened, and only once less than half of it
// is left: a held watch does not rewrite its build's stages every second.

import { type Kysely, sql } from 'kysely';
import { type Dialect, sqlNowMs } from '../dialect.js';
import { literal, literalList } from '../literals.js';
import type { Database } from '../schema.js';

/** Signs of life from the runners of these stages. */
export async function renewStageLeases(db: Kysely<Database>, dialect: Dialect, stageIds: number[], leaseMs: number): Promise<void> {
  const until = sql<number>`${sqlNowMs(dialect)} + ${leaseMs}`;
  const halfway = sql<number>`${sqlNowMs(dialect)} + ${Math.floor(leaseMs / 2)}`;
  await db
    .updateTable('stages')
    .set({ hangar_lease_until: until })
    .where('stage_id', 'in', stageIds)
    .where('stage_status', 'in', literalList(['pending', 'running']))
    .where('stage_machine', '<>', literal(''))
    .where('hangar_lease_until', '<', halfway)
    .execute();
}

/** Watches held on this server: the claimed, unfinished stages of these builds stay alive. */
export async function renewBuildLeases(db: Kysely<Database>, dialect: Dialect, buildIds: number[], leaseMs: number): Promise<void> {
  const until = sql<number>`${sqlNowMs(dialect)} + ${leaseMs}`;
  const halfway = sql<number>`${sqlNowMs(dialect)} + ${Math.floor(leaseMs / 2)}`;
  await db
    .updateTable('stages')
    .set({ hangar_lease_until: until })
    .where('stage_build_id', 'in', buildIds)
    .where('stage_status', 'in', literalList(['pending', 'running']))
    .where('stage_machine', '<>', literal(''))
    .where('hangar_lease_until', '<', halfway)
    .execute();
}
