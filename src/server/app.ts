// The HTTP application: one Fastify instance with encapsulated plugins for each surface.

import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { apiPlugin } from './api/index.js';
import { openApiOptions } from './api/openapi/document.js';
import type { ServerContext } from './context.js';
import { healthPlugin } from './health.js';
import { hookPlugin } from './hook/index.js';
import { rpcPlugin } from './rpc/index.js';
import { webPlugin } from './web/ui.js';
import { loginPlugin } from './web/login.js';

export async function buildApp(ctx: ServerContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    // Every request is logged only at trace level (a runner's long-polls would fill the log).
    logController: new LogController({ disableRequestLogging: !ctx.config.logs.trace }),
    // Above Go's 90 s idle timeout, so a runner's pooled connection is never closed under it (DESIGN §3a).
    keepAliveTimeout: 95_000,
    // Long-polls are held for 30 s; never cut a request short.
    requestTimeout: 0,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // Behind a load balancer the client's address is in X-Forwarded-For, when told to believe it.
    trustProxy: ctx.config.server.trustProxy,
  });
  // Sessions are signed with the cookie secret every server of a cluster shares.
  await app.register(cookie, { secret: ctx.config.cookie.secret });
  // Forms: Gogs' sign-in, and drone-node's options (`async=true`). /rpc and /hook read raw bodies instead.
  // An empty form is no body, as Drone reads it (drone-node sends one with every POST).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, body === '' ? undefined : Object.fromEntries(new URLSearchParams(String(body))));
  });
  // An empty JSON body is no body too (a common curl habit), not a 400.
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    parseJson(request, text, done);
  });
  // The OpenAPI document is generated from the zod schemas the API routes validate with (/api/openapi.json).
  await app.register(swagger, openApiOptions);
  await app.register(healthPlugin, { ctx });
  await app.register(rpcPlugin, { ctx, prefix: '/rpc/v2' });
  await app.register(apiPlugin, { ctx, prefix: '/api' });
  await app.register(hookPlugin, { ctx });
  await app.register(loginPlugin, { ctx });
  await app.register(webPlugin, { ctx });
  return app;
}
