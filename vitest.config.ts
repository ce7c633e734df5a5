import { defineConfig } from 'vitest/config';

// The layers of DESIGN §6: unit tests run in parallel; integration, cluster and end-to-end tests start real
// processes (PostgreSQL, Redis, HAProxy, servers, runners) and run one file at a time with explicit timeouts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          globalSetup: ['test/support/temp-root.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['test/support/temp-root.ts', 'test/support/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          globalSetup: ['test/support/temp-root.ts', 'test/support/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/support/temp-root.ts', 'test/support/global-setup.ts'],
        },
      },
      {
        test: {
          // Every benchmark scenario at a tiny size, so `npm run bench` cannot rot; writes no results.
          name: 'bench-smoke',
          include: ['bench/scenarios/*.bench.test.ts'],
          env: { HANGAR_BENCH_SIZE: 'smoke' },
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          globalSetup: ['test/support/temp-root.ts', 'test/support/global-setup.ts'],
        },
      },
    ],
  },
});
