// The zod schemas shared by the API routes. A route declares them in its Fastify `schema` (params,
// querystring, body): Fastify validates with them (a failure is a 400 naming the field) and the OpenAPI
// document at /api/openapi.json is generated from the same declarations.

import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The API plugin's Fastify instance, typed by the zod schemas of each route. */
export type ApiApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** A path segment: any text but a slash (Fastify already split the path). */
const segment = z.string().min(1).max(255);

export const RepoParams = z.object({ owner: segment, name: segment });
export const BuildParams = RepoParams.extend({ number: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
export const StageParams = BuildParams.extend({ stage: z.coerce.number().int().min(1).max(1_000_000) });
export const StepParams = StageParams.extend({ step: z.coerce.number().int().min(1).max(1_000_000) });
export const NamespaceParams = z.object({ namespace: segment });
/** `{namespace}/{name}`: an org secret or a template. */
export const NamespaceNameParams = NamespaceParams.extend({ name: segment });
export const LoginParams = z.object({ user: segment });

/** `page` and `per_page` as Drone reads them; out-of-range values are errors, not silently clamped. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).optional(),
  per_page: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** A git ref or branch a build was made for (`?ref=refs/heads/main`, `?branch=main`). */
export const RefQuery = z.object({ ref: z.string().max(1000).optional(), branch: z.string().max(1000).optional() });

/** A boolean query flag as Drone's clients send it (`?remove=true`, `?latest=true`). */
export const QueryFlag = z.enum(['true', 'false', '1', '0', '']).transform((value) => value === 'true' || value === '1');

/**
 * Query parameters that become build parameters (custom builds, restart, promote): any name, string values.
 * The named ones are validated; the rest pass through.
 */
export function withParams<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape).catchall(z.string().max(4096));
}

/**
 * An optional form or JSON body of string fields: drone-node sends its options as a form (often empty),
 * curl users an empty JSON body; both arrive as undefined when empty.
 */
export const FormBody = z.record(z.string().max(255), z.string().max(4096)).nullish();
