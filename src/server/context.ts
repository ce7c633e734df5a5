// Everything a request handler may use, wired once per process in `compose.ts`.

import type { Logger } from 'pino';
import type { ServerConfig } from '../config/server.js';
import type { Bus } from '../core/bus.js';
import type { LiveLog } from '../core/livelog.js';
import type { RepoActivation } from '../accounts/activation.js';
import type { ScmCredentials } from '../accounts/credentials.js';
import type { OrgMembership } from '../accounts/org-membership.js';
import type { PermissionCache } from '../accounts/permissions.js';
import type { RepoSync } from '../accounts/sync.js';
import type { Scm } from '../core/scm.js';
import type { CommitStatusReporter } from '../notify/commit-status.js';
import type { Store } from '../core/store.js';
import type { ChunkWriter } from '../livelog/chunk-writer.js';
import type { AfterCommit } from '../scheduler/after-commit.js';
import type { Dispatcher } from '../scheduler/dispatcher.js';
import type { LeaseRenewer } from '../scheduler/lease-renewer.js';
import type { WatchRegistry } from '../scheduler/watches.js';
import type { Triggerer } from '../trigger/trigger.js';
import type { BuildEventFanout } from './build-events.js';
import type { ClusterHeartbeat } from './cluster-heartbeat.js';
import type { Drain } from './drain.js';
import type { Metrics } from './metrics.js';

export interface ServerContext {
  config: ServerConfig;
  log: Logger;
  store: Store;
  bus: Bus;
  livelog: LiveLog;
  chunks: ChunkWriter;
  dispatcher: Dispatcher;
  watches: WatchRegistry;
  renewer: LeaseRenewer;
  afterCommit: AfterCommit;
  /** The source-code host (core/scm.ts ports). */
  scm: Scm;
  /** SCM tokens of users, renewed when they expire. */
  credentials: ScmCredentials;
  /** Users' permissions on repositories, cached and re-read from the SCM. */
  permissions: PermissionCache;
  /** Users' membership of organisations (org secrets, templates). */
  membership: OrgMembership;
  repoSync: RepoSync;
  /** Enabling, disabling and repairing repositories of the SCM (webhooks included). */
  activation: RepoActivation;
  commitStatuses: CommitStatusReporter;
  triggerer: Triggerer;
  metrics: Metrics;
  /** Build events for this server's live viewers. */
  buildEvents: BuildEventFanout;
  /** Started on SIGTERM: /healthz answers 503 and parked requests are released. */
  drain: Drain;
  /** This server's heartbeat for the cluster page. */
  heartbeat: ClusterHeartbeat;
}
