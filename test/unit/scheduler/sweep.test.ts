// The sweep's expiry after the database was lost: leases keep running on the database's clock while no
// runner can renew them, so expiry waits one lease after the database is back (and after the server starts).

import { describe, expect, it } from 'vitest';
import { TransientError } from '../../../src/core/errors.js';
import { type SweepDeps, Sweeper } from '../../../src/scheduler/sweep.js';

function fakeSweeper(grace: number) {
  let now = 0;
  let databaseUp = true;
  const expired: number[] = [];
  const down = async <T>(value: T): Promise<T> => {
    if (!databaseUp) throw new TransientError('connection lost');
    return value;
  };
  const deps = {
    leases: { findExpired: () => down([7]), findDoneBuilds: () => down([]), findBuildsToReconcile: () => down([]) },
    transitions: {
      expireStage: async (id: number) => {
        expired.push(id);
        return { kind: 'requeued' as const };
      },
    },
    dispatcher: { wake: () => undefined },
    watches: { buildIds: () => [], cancel: () => undefined },
    renewer: { flush: () => down(undefined) },
    afterCommit: { stagesPending: () => undefined, stageFinished: () => undefined },
    onError: () => undefined,
    now: () => now,
  } as unknown as SweepDeps;
  const sweeper = new Sweeper(deps, { intervalMs: 100, expiryGraceMs: grace });
  return {
    sweeper,
    expired,
    at: (ms: number) => (now = ms),
    database: (up: boolean) => (databaseUp = up),
  };
}

describe('the sweep', () => {
  it('expires stages only a lease after it starts, and a lease after the database comes back', async () => {
    const sweep = fakeSweeper(1000);
    await sweep.sweeper.tick();
    expect(sweep.expired).toEqual([]);
    sweep.at(1000);
    await sweep.sweeper.tick();
    expect(sweep.expired).toEqual([7]);

    sweep.database(false);
    sweep.at(2000);
    await sweep.sweeper.tick();
    sweep.database(true);
    sweep.at(2100);
    await sweep.sweeper.tick();
    sweep.at(3000);
    await sweep.sweeper.tick();
    expect(sweep.expired).toEqual([7]);
    sweep.at(3100);
    await sweep.sweeper.tick();
    expect(sweep.expired).toEqual([7, 7]);
  });
});
