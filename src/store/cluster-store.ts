// The cluster page's data: each server's heartbeat (one upsert every few seconds per server), and the
// unfinished stages with their builds and repositories, read through the status indexes.

import { type Kysely, sql } from 'kysely';
import type { ClusterStore, ServerState } from '../core/store.js';
import { stagesWithStatus } from './build-queries.js';
import { type Dialect, sqlNowMs } from './dialect.js';
import { toNumber } from './rows.js';
import type { Database } from './schema.js';

const UNFINISHED = ['pending', 'blocked', 'waiting_on_dependencies', 'running'] as const;

export function createClusterStore(db: Kysely<Database>, dialect: Dialect): ClusterStore {
  return {
    async heartbeat(server) {
      const row = {
        server_id: server.id,
        server_address: server.address,
        server_version: server.version,
        server_started: server.started,
        server_seen: sqlNowMs(dialect),
        server_state: JSON.stringify(server.state),
      };
      await db
        .insertInto('hangar_servers')
        .values(row)
        .onConflict((oc) => oc.column('server_id').doUpdateSet({ server_seen: sqlNowMs(dialect), server_state: row.server_state, server_address: row.server_address }))
        .execute();
    },

    async leave(serverId) {
      await db.deleteFrom('hangar_servers').where('server_id', '=', serverId).execute();
    },

    async servers(withinMs) {
      const now = sqlNowMs(dialect);
      const rows = await db
        .selectFrom('hangar_servers')
        .selectAll()
        .select(sql<number>`${now} - server_seen`.as('seen_ago'))
        .where('server_seen', '>=', sql<number>`${now} - ${withinMs}`)
        .orderBy('server_started')
        .execute();
      return rows.map((row) => ({
        id: row.server_id,
        address: row.server_address,
        version: row.server_version,
        started: toNumber(row.server_started),
        state: JSON.parse(row.server_state) as ServerState,
        seenAgoMs: Math.max(0, toNumber(row.seen_ago)),
      }));
    },

    unfinishedStages: (limit) => stagesWithStatus(db, UNFINISHED, limit),
  };
}
