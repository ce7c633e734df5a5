// Drone's status values, shared by builds, stages and steps, and the predicates on them.

export const STATUSES = [
  'skipped',
  'blocked',
  'declined',
  'waiting_on_dependencies',
  'pending',
  'running',
  'success',
  'failure',
  'killed',
  'error',
] as const;

export type Status = (typeof STATUSES)[number];

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** Done: anything but waiting_on_dependencies, pending, running and blocked. */
export function isDone(status: Status | string): boolean {
  return status !== 'waiting_on_dependencies' && status !== 'pending' && status !== 'running' && status !== 'blocked';
}

/** Failed: failure, killed or error. */
export function isFailed(status: Status | string): boolean {
  return status === 'failure' || status === 'killed' || status === 'error';
}
