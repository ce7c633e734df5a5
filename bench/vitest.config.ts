import { defineConfig } from 'vitest/config';

// `npm run bench`: every scenario at full size, one file at a time (they share two cores), results in
// bench/results/ and docs/PERFORMANCE.md. The same files run at smoke size in `npm test` (project
// bench-smoke in vitest.config.ts).
export default defineConfig({
  test: {
    include: [process.env.HANGAR_BENCH_INCLUDE ?? 'bench/scenarios/*.bench.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 180_000,
    globalSetup: ['test/support/temp-root.ts', 'test/support/global-setup.ts', 'bench/support/write-report.ts'],
  },
});
