// Not part of the suites: prints the statements a lifecycle burst sends PostgreSQL, most frequent first.
//   HANGAR_BENCH_INCLUDE=bench/profile/statements.profile.test.ts npx vitest run --config bench/vitest.config.ts

import { inject, it } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { lifecycleBurst } from '../support/burst.js';
import { NOOP_PIPELINE, startSetup } from '../support/setup.js';
import { countStatements } from '../support/statements.js';

it('counts the statements of a lifecycle burst', async () => {
  const builds = Number(process.env.HANGAR_PROFILE_BUILDS ?? 300);
  const setup = await startSetup('ha', { postgresUrl: inject('postgresUrl'), pipeline: NOOP_PIPELINE });
  try {
    const window = await countStatements(setup.cluster?.databaseUrl ?? '');
    const burst = await lifecycleBurst(setup, 50, builds);
    const count = await window.stop();
    console.log(`builds/s ${burst.buildsPerS}; statements/build ${(count.statements / builds).toFixed(1)}; commits/build ${(count.commits / builds).toFixed(1)}`);
    for (const row of count.top) console.log(`${(row.calls / builds).toFixed(2).padStart(6)}  ${row.meanMs.toFixed(3).padStart(7)} ms  ${row.query}`);
  } finally {
    await setup.close();
  }
}, 600_000);
