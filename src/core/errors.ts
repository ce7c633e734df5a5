// Errors the HTTP layer maps to status codes, whatever adapter raised them.

/** A lost database or Redis connection, a serialization failure, a deadlock, a shutdown: retry later (503). */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** The request names something that does not exist (404). */
export class NotFoundError extends Error {
  constructor(message = 'Not Found') {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The request is malformed or invalid (400). */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

/** The caller's credentials were refused, by us or by the source-code host (401). */
export class UnauthorizedError extends Error {
  constructor(message = 'Unauthorized') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

/** The source-code host failed or did not answer in time (502): nothing was changed, the call may be retried. */
export class UpstreamError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

/** What a client is told when the database cannot write because its disk is full (507). */
export const DISK_FULL_MESSAGE = "insufficient storage: the server's database disk is full; nothing was saved, retry when space is freed";

/**
 * Whether an error (or one of its causes) says the disk under the database is full: SQLite's SQLITE_FULL,
 * PostgreSQL's disk_full (53100), or the file system's ENOSPC.
 */
export function isDiskFull(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
