// The HTTP status of a failure, the same for the API and for webhooks: 4xx for the caller's mistakes; 502
// when the SCM failed us or refused the token we used (nothing was stored: try again); 503 when the
// database or Redis was lost; 507 when the database's disk is full (nothing was saved); Fastify's own 4xx
// (malformed JSON, body too large, unsupported media type) as they are; 500 for anything else.

import type { FastifyError } from 'fastify';
import { BadRequestError, DISK_FULL_MESSAGE, NotFoundError, TransientError, UnauthorizedError, UpstreamError, isDiskFull } from '../core/errors.js';

export function errorStatus(error: FastifyError): number {
  if (error instanceof BadRequestError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof TransientError) return 503;
  if (isDiskFull(error)) return 507;
  if (error instanceof UpstreamError || error instanceof UnauthorizedError) return 502;
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) return error.statusCode;
  return 500;
}

/**
 * The message a failure answers with: the error's own for the caller's mistakes, a fixed one for a server
 * fault (its cause is logged, not shown); a full disk and a lost database say what to do. An SCM failure
 * (502) is shown where the caller can act on it (a webhook sender redelivers).
 */
export function errorMessage(status: number, error: Error, options: { showUpstream: boolean }): string {
  if (status === 507) return DISK_FULL_MESSAGE;
  if (status === 503) return 'service unavailable, retry later';
  if (status === 502 && options.showUpstream) return error.message;
  return status >= 500 ? 'internal error' : error.message;
}
