import { defineConfig } from 'vitest/config';

// The layers of DESIGN §6: unit tests run in parallel; integration, cluster and end-to-end tests start real
// processes (PostgreSQL, Redis, HAProxy, servers, runners) and run one file at a time with explicit timeouts.
// The projects run one after another (groupOrder): on two cores, a cluster drill beside a benchmark smoke
// run turns timing bounds into coin tosses.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts'],
          globalSetup: ['test/support/temp-root.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
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
          sequence: { groupOrder: 2 },
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
          sequence: { groupOrder: 3 },
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/support/temp-root.ts', 'test/support/global-setup.ts'],
        },
      },
      {
        test: {
          // The docker runner against podman's Docker-compatible API: one service per run (podman-setup.ts).
          name: 'docker',
          sequence: { groupOrder: 5 },
          include: ['test/docker/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/support/temp-root.ts', 'test/support/podman-setup.ts'],
        },
      },
      {
        test: {
          // Every benchmark scenario at a tiny size, so `npm run bench` cannot rot; writes no results.
          name: 'bench-smoke',
          sequence: { groupOrder: 6 },
          include: ['bench/scenarios/*.bench.test.ts'],
          env: { HANGAR_BENCH_SIZE: 'smoke' },
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          globalSetup: ['test/support/temp-root.ts', 'test/support/global-setup.ts'],
        },
      },
      {
        test: {
          // The web UI in Debian's Chromium (playwright-core), against a real server with an embedded exec
          // runner, and a cluster behind HAProxy (PostgreSQL from global-setup.ts); one browser for the run
          // (browser-setup.ts); screenshots go to test-artifacts/browser/.
          name: 'browser',
          sequence: { groupOrder: 7 },
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ['test/support/temp-root.ts', 'test/support/global-setup.ts', 'test/support/browser-setup.ts'],
        },
      },
    ],
  },
});
