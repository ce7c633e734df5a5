// The HTTP status of a failure, the same for the API and for webhooks: 4xx for the caller's mistakes; 502
// when the SCM failed us or refused the token we used (nothing was stored: try again); 503 when the
// database or Redis was lost; 507 when the database's disk is full (nothing was saved); Fastify's own 4xx
// (malformed JSON, body too large, unsupported media type) as they are; 500 for anything else.

import type { FastifyError } from 'fastify';
import { BadRequestError, NotFoundError, TransientError, UnauthorizedError, UpstreamError, isDiskFull } from '../core/errors.js';

export function errorStatus(error: FastifyError): number {
  if (error instanceof BadRequestError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof TransientError) return 503;
  if (isDiskFull(error)) return 507;
  if (error instanceof UpstreamError || error instanceof UnauthorizedError) return 502;
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) return error.statusCode;
  return 500;
}
