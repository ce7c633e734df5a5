// drone-go sends `null` for the fields of a patch it does not change (RepoPatch, CronPatch have no omitempty):
// null means "unchanged", as on Drone.

export function withoutNulls<T extends Record<string, unknown>>(body: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null && value !== undefined)) as { [K in keyof T]?: Exclude<T[K], null> };
}
