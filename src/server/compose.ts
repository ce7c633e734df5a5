// The composition root of `hangar server`: every implementation is chosen and wired here, once.

import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config/server.js';
import type { ServerConfig as Config } from '../config/server.js';
import { MemoryBus } from '../bus/memory.js';
import { RedisBus } from '../bus/redis.js';
import type { Bus } from '../core/bus.js';
import type { LiveLog } from '../core/livelog.js';
import { ChunkWriter } from '../livelog/chunk-writer.js';
import { MemoryLiveLog } from '../livelog/memory.js';
import { RedisLiveLog } from '../livelog/redis.js';
import { RepoActivation } from '../accounts/activation.js';
import { ScmCredentials } from '../accounts/credentials.js';
import { OrgMembership } from '../accounts/org-membership.js';
import { PermissionCache } from '../accounts/permissions.js';
import { RepoSync } from '../accounts/sync.js';
import { CommitStatusReporter } from '../notify/commit-status.js';
import { AfterCommit } from '../scheduler/after-commit.js';
import { Dispatcher } from '../scheduler/dispatcher.js';
import { LeaseRenewer } from '../scheduler/lease-renewer.js';
import { Sweeper } from '../scheduler/sweep.js';
import { WatchRegistry } from '../scheduler/watches.js';
import { planBuild } from '../pipeline/index.js';
import { provideScm } from '../scm/index.js';
import { openStore } from '../store/index.js';
import { CronScheduler, cronSchedulerOptions } from '../trigger/cron/scheduler.js';
import { Triggerer } from '../trigger/trigger.js';
import { buildApp } from './app.js';
import { BuildEventFanout } from './build-events.js';
import type { ServerContext } from './context.js';
import { VERSION } from '../version.js';
import { ClusterHeartbeat } from './cluster-heartbeat.js';
import { Drain } from './drain.js';
import { Metrics } from './metrics.js';
import { type RedisConnections, connectRedis } from './redis-connections.js';

export interface RunningServer {
  app: FastifyInstance;
  ctx: ServerContext;
  /** The address the server listens on (e.g. http://127.0.0.1:8080). */
  url: string;
  /** The cron scheduler; undefined with DRONE_CRON_DISABLED. */
  cron?: CronScheduler;
  /** Graceful stop: drain, finish in-flight requests, close the database last. */
  stop(options?: { drainDelayMs?: number }): Promise<void>;
}

/** In memory on one node; over Redis (pub/sub and streams) when DRONE_REDIS_* is set. */
function createSignals(config: Config, log: Logger): { bus: Bus; livelog: LiveLog; redis?: RedisConnections } {
  if (!config.redis) return { bus: new MemoryBus(), livelog: new MemoryLiveLog() };
  const redis = connectRedis(config.redis, log);
  const onError = (err: unknown) => log.debug({ err }, 'redis signal lost');
  return {
    bus: new RedisBus({ commands: redis.commands, subscriber: redis.subscriber, onError }),
    livelog: new RedisLiveLog({ commands: redis.commands, tailer: redis.tailer, onError }),
    redis,
  };
}

/** How long a user's organisations are trusted before the SCM is asked again (Drone caches them 5 minutes). */
const ORG_MEMBERSHIP_TTL_MS = 5 * 60_000;

export async function startServer(config: ServerConfig, log: Logger): Promise<RunningServer> {
  for (const warning of config.warnings) log.warn(warning);
  if (config.runner.capacity > 0 && !config.rpc.secret) {
    // The embedded runner needs a secret to speak the protocol; outside runners can't know this one.
    config.rpc.secret = randomBytes(16).toString('hex');
  }

  const store = await openStore(config.database, log);
  log.info({ scm: config.scm.provider }, 'source-code host');
  if (config.userCreate) {
    await store.users.bootstrap(config.userCreate);
    log.info({ login: config.userCreate.login }, 'bootstrap account ready');
  }

  const { timings } = config;
  const reportError = (err: unknown, task: string) => log.warn({ err }, `${task} failed`);
  const signals = createSignals(config, log);
  const { bus, livelog } = signals;
  if (!config.cookie.secret) {
    // Every server of a cluster must sign sessions alike: the first one generates the secret, in the database.
    config.cookie.secret = await store.sharedSetting('cookie_secret', () => randomBytes(32).toString('hex'));
  }
  const dispatcher = new Dispatcher(store.queue, { reservationMs: timings.reservation, onError: (err) => reportError(err, 'reservation') });
  const watches = new WatchRegistry();
  const renewer = new LeaseRenewer(store.leases, timings.runningLease, () => watches.buildIds());
  const scm = provideScm(config.scm, { cacheDir: config.git.cacheDir, timeoutMs: config.scmTimeoutMs });
  const credentials = new ScmCredentials(store.users, scm.login, log);
  const permissions = new PermissionCache({ repos: store.repos, scm, credentials, ttlMs: config.accounts.permissionTtlMs, log });
  const membership = new OrgMembership({ login: scm.login, credentials, ttlMs: ORG_MEMBERSHIP_TTL_MS, log });
  const repoSync = new RepoSync({ users: store.users, repos: store.repos, scm, credentials, settings: config.accounts, log });
  const activation = new RepoActivation({
    repos: store.repos,
    scm,
    credentials,
    hookUrl: `${config.server.proxyAddr}/hook`,
    events: config.accounts.webhookEvents,
    trusted: config.accounts.repositoryTrusted,
  });
  const commitStatuses = new CommitStatusReporter({
    scm,
    repos: store.repos,
    builds: store.builds,
    credentials,
    settings: { disabled: config.status.disabled, name: config.status.name, serverAddr: config.server.addr },
    log,
  });
  const afterCommit = new AfterCommit(bus, livelog, commitStatuses, dispatcher);
  const chunks = new ChunkWriter(store.logs, 1000, (err) => reportError(err, 'log chunk write'));
  const triggerer = new Triggerer(
    { store, scm, credentials, afterCommit },
    planBuild,
    { configMaxSize: config.configMaxSize, jsonnetEnabled: config.jsonnet.enabled, starlark: config.starlark },
    log,
  );
  const metrics = new Metrics(store.builds, { parkedPolls: () => dispatcher.waiting(), heldWatches: () => watches.size() });
  const drain = new Drain();
  const buildEvents = new BuildEventFanout(store, bus, (err) => reportError(err, 'build event'));
  let listeningOn = `${os.hostname()}:${config.server.listen.port}`;
  const heartbeat = new ClusterHeartbeat(
    store.cluster,
    () => ({ address: listeningOn, version: VERSION }),
    () => ({
      parkedPolls: dispatcher.waiting(),
      heldWatches: watches.size(),
      eventViewers: buildEvents.size(),
      parked: dispatcher.parkedFilters(),
      draining: drain.started,
    }),
    (err) => reportError(err, 'cluster heartbeat'),
  );
  const ctx: ServerContext = {
    config,
    log,
    store,
    bus,
    livelog,
    chunks,
    dispatcher,
    watches,
    renewer,
    afterCommit,
    scm,
    credentials,
    permissions,
    membership,
    repoSync,
    activation,
    commitStatuses,
    triggerer,
    metrics,
    drain,
    buildEvents,
    heartbeat,
  };

  bus.onWake(() => dispatcher.wake());
  bus.onCancel((buildId) => watches.cancel(buildId));
  const sweeper = new Sweeper(
    {
      leases: store.leases,
      transitions: store.transitions,
      dispatcher,
      watches,
      renewer,
      afterCommit,
      onError: reportError,
      onExpired: (stageId, outcome) => log.warn({ stage: stageId, outcome }, 'stage lease expired'),
    },
    { intervalMs: timings.sweepInterval, expiryGraceMs: Math.max(timings.acceptLease, timings.runningLease) },
  );
  sweeper.start();
  chunks.start();
  const cron = config.cron.disabled
    ? undefined
    : new CronScheduler({ crons: store.crons, repos: store.repos, scm, credentials, triggerer, log }, cronSchedulerOptions(config.cron.intervalMs));
  cron?.start();

  const app = await buildApp(ctx);
  const { host, port } = config.server.listen;
  await app.listen({ host: host || '0.0.0.0', port });
  const bound = app.server.address();
  const boundPort = bound && typeof bound === 'object' ? bound.port : port;
  const url = `http://${host && host !== '0.0.0.0' ? host : '127.0.0.1'}:${boundPort}`;
  log.info({ url, database: config.database.driver }, 'hangar server listening');
  listeningOn = `${os.hostname()}:${boundPort}`;
  heartbeat.start();

  // Loaded only when asked for: a server without an embedded runner never loads the runner's code.
  const runner = config.runner.capacity > 0 ? await (await import('./embedded-runner.js')).startEmbeddedRunner(config, url, log) : undefined;

  // Graceful leave (DESIGN §3a): /healthz fails first; once the load balancer has noticed, parked polls
  // and watches are answered with Connection: close and SSE viewers are sent elsewhere; in-flight
  // requests finish; Redis and the database close last.
  let stopping: Promise<void> | undefined;
  const stop = (options: { drainDelayMs?: number } = {}) =>
    (stopping ??= (async () => {
      drain.beginUnhealthy();
      const delay = options.drainDelayMs ?? config.drain.delayMs;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      drain.start();
      dispatcher.releaseAll();
      watches.releaseAll();
      await runner?.stop();
      await heartbeat.stop();
      await cron?.stop();
      await sweeper.stop();
      await app.close();
      await chunks.stop();
      await commitStatuses.flush();
      await renewer.flush().catch((err) => reportError(err, 'lease flush'));
      buildEvents.close();
      await livelog.shutdown?.();
      await bus.close();
      await signals.redis?.close();
      await store.close();
      log.info('hangar server stopped');
    })());
  return { app, ctx, url, cron, stop };
}
