// Benchmark sizes. `npm run bench` runs the full sizes; the `bench-smoke` project of `npm test` sets
// HANGAR_BENCH_SIZE=smoke and runs every scenario at a tiny size (and writes no results), so the
// benchmark code cannot rot.

export const SMOKE = process.env.HANGAR_BENCH_SIZE === 'smoke';

/** The full figure, or the smoke one. */
export function size<T>(full: T, smoke: T): T {
  return SMOKE ? smoke : full;
}
