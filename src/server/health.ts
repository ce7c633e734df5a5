// GET /healthz (503 while draining, so load balancers move traffic away), GET /version, GET /metrics.

import type { FastifyInstance } from 'fastify';
import { VERSION } from '../version.js';
import { authenticate } from './api/auth.js';
import type { ServerContext } from './context.js';

export async function healthPlugin(app: FastifyInstance, options: { ctx: ServerContext }): Promise<void> {
  const { ctx } = options;
  app.get('/healthz', async (_request, reply) => (!ctx.drain.healthy ? reply.code(503).send('draining') : reply.type('text/plain').send('OK')));
  app.get('/version', async () => ({ source: 'https://github.com/hangar-ci/hangar', version: VERSION, commit: '' }));
  app.get('/metrics', async (request, reply) => {
    if (!ctx.config.prometheus.anonymousAccess) {
      const user = await authenticate(ctx, request);
      if (!user) return reply.code(401).send({ message: 'Unauthorized' });
      if (!user.admin && !user.machine) return reply.code(403).send({ message: 'Forbidden' });
    }
    const body = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(body);
  });
}
