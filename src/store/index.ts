// The store: opens the database named by DRONE_DATABASE_*, brings its schema up to date, and assembles
// the core interfaces. Transient database failures surface as core TransientErrors (answered 503).

import type { Logger } from 'pino';
import { TransientError } from '../core/errors.js';
import type { Store } from '../core/store.js';
import type { Filter } from '../core/types.js';
import { createBuildQueries } from './build-queries.js';
import { createBuildStore } from './build-store.js';
import { createCardStore } from './card-store.js';
import { createClusterStore } from './cluster-store.js';
import { createCronStore } from './cron-store.js';
import { openDatabase } from './db.js';
import { isTransientError } from './dialect.js';
import { createEncrypter } from './encrypt.js';
import { createLogStore } from './log-store.js';
import { createOrgSecretStore } from './org-secret-store.js';
import { migrate } from './migrate.js';
import { createRepoStore } from './repo-store.js';
import { rowToStage } from './rows.js';
import { createSecretStore } from './secret-store.js';
import { acceptStage } from './sql/accept-stage.js';
import { releaseReservation } from './sql/release-reservation.js';
import { renewBuildLeases, renewStageLeases } from './sql/renew-leases.js';
import { queuePaused, setQueuePaused } from './sql/queue-pause.js';
import { reserveStages } from './sql/reserve-stage.js';
import { findBuildsToReconcile, findDoneBuilds, findExpiredStages } from './sql/sweep-queries.js';
import { createStageStore } from './stage-store.js';
import { createTemplateStore } from './template-store.js';
import { beginStage } from './transitions/begin-stage.js';
import { approveStage } from './transitions/approve-stage.js';
import { cancelBuild } from './transitions/cancel-build.js';
import { declineStage } from './transitions/decline-stage.js';
import type { TransitionContext } from './transitions/context.js';
import { createBuild } from './transitions/create-build.js';
import { expireStage } from './transitions/expire-stage.js';
import { finishStage } from './transitions/finish-stage.js';
import { reconcileBuild } from './transitions/reconcile-build.js';
import { updateStep } from './transitions/update-step.js';
import { rowToBuild } from './rows.js';
import { createUserStore } from './user-store.js';

export interface StoreOptions {
  driver: 'sqlite3' | 'postgres';
  datasource: string;
  maxConnections: number;
  /** DRONE_DATABASE_SECRET: the AES key for secrets, or undefined for plaintext. */
  secret?: Buffer;
  /** DRONE_DATABASE_ENCRYPT_USER_TABLE: SCM tokens encrypted with the same key. */
  encryptUserTable?: boolean;
  /** DRONE_DATABASE_ENCRYPT_MIXED_MODE: values that do not decrypt are read as plaintext. */
  encryptMixedMode?: boolean;
}

export async function openStore(options: StoreOptions, log: Logger): Promise<Store> {
  const database = await openDatabase({
    driver: options.driver,
    datasource: options.datasource,
    maxConnections: options.maxConnections,
    onPoolError: (err) => log.warn({ err }, 'database connection lost'),
  });
  try {
    const applied = await migrate(database.db, database.dialect);
    if (applied.drone.length > 0 || applied.hangar.length > 0) {
      log.info({ drone: applied.drone.length, hangar: applied.hangar.length }, 'database migrated');
    }
  } catch (err) {
    await database.close();
    throw err;
  }
  const { db, dialect } = database;
  const ctx: TransitionContext = { db, dialect };
  const encrypter = createEncrypter(options.secret, { mixedMode: options.encryptMixedMode });

  const store: Store = {
    users: createUserStore(db, { dialect, oauthEncrypter: options.encryptUserTable ? encrypter : undefined }),
    repos: createRepoStore(db),
    builds: createBuildStore(db),
    stages: createStageStore(db, dialect, encrypter),
    logs: createLogStore(db, dialect),
    secrets: createSecretStore(db, encrypter),
    orgSecrets: createOrgSecretStore(db, encrypter),
    templates: createTemplateStore(db),
    cards: createCardStore(db),
    crons: createCronStore(db, dialect),
    transitions: {
      async createBuild(input) {
        const created = await createBuild(ctx, input);
        return { build: rowToBuild(created.build), stages: created.stages.map(rowToStage), duplicate: created.duplicate };
      },
      beginStage: (body, graceMs, leaseMs) => beginStage(ctx, body, graceMs, leaseMs),
      finishStage: (body) => finishStage(ctx, body),
      updateStep: (body, leaseMs) => updateStep(ctx, body, leaseMs),
      cancelBuild: (buildId, buildStatus) => cancelBuild(ctx, buildId, buildStatus),
      approveStage: (buildId, stageNumber) => approveStage(ctx, buildId, stageNumber),
      declineStage: (buildId, stageNumber) => declineStage(ctx, buildId, stageNumber),
      expireStage: (stageId) => expireStage(ctx, stageId),
      reconcileBuild: (buildId) => reconcileBuild(ctx, buildId),
    },
    queue: {
      async reserve(filter: Filter, reservationMs: number, limit = 1) {
        return (await reserveStages(db, filter, reservationMs, limit)).map(rowToStage);
      },
      release: (stageId) => releaseReservation(db, stageId),
      async accept(stageId, machine, leaseMs) {
        const accepted = await acceptStage(db, stageId, machine, leaseMs);
        return accepted && { stage: rowToStage(accepted.row), waitedMs: accepted.waitedMs };
      },
      paused: () => queuePaused(db),
      setPaused: (paused) => setQueuePaused(db, paused),
    },
    buildQueries: createBuildQueries(db, dialect),
    cluster: createClusterStore(db, dialect),
    leases: {
      renewStages: (ids, leaseMs) => renewStageLeases(db, dialect, ids, leaseMs),
      renewBuilds: (ids, leaseMs) => renewBuildLeases(db, dialect, ids, leaseMs),
      findExpired: (limit) => findExpiredStages(db, dialect, limit),
      findDoneBuilds: (ids) => findDoneBuilds(db, ids),
      findBuildsToReconcile: (limit) => findBuildsToReconcile(db, dialect, limit),
    },
    async sharedSetting(name, create) {
      await db
        .insertInto('hangar_settings')
        .values({ setting_name: name, setting_value: create() })
        .onConflict((oc) => oc.column('setting_name').doNothing())
        .execute();
      const row = await db.selectFrom('hangar_settings').select('setting_value').where('setting_name', '=', name).executeTakeFirstOrThrow();
      return row.setting_value;
    },
    close: () => database.close(),
  };
  return withTransientErrors(store);
}

/** Every store method rethrows transient database failures as TransientError, whatever adapter raised them. */
function withTransientErrors<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          try {
            const result = (value as (...a: unknown[]) => unknown).apply(object, args);
            return result instanceof Promise ? result.catch(rethrow) : result;
          } catch (err) {
            return rethrow(err);
          }
        };
      }
      if (value && typeof value === 'object') return withTransientErrors(value);
      return value;
    },
  });
}

function rethrow(err: unknown): never {
  if (isTransientError(err)) throw new TransientError(`database unavailable: ${(err as Error).message}`, { cause: err });
  throw err;
}
