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
