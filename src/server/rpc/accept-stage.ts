// POST /rpc/v2/stage/{id}?machine=NAME: the only claim of a stage (DESIGN §3.3). 200 with the stage, or
// 409 when another runner won.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { idParam } from './body.js';

export function registerAcceptStage(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { id: string }; Querystring: { machine?: string } }>('/stage/:id', async (request, reply) => {
    const stageId = idParam(request.params.id, 'stage id');
    const machine = String(request.query.machine ?? '');
    const accepted = await ctx.store.queue.accept(stageId, machine, ctx.config.timings.acceptLease);
    if (!accepted) return reply.code(409).type('text/plain').send('Optimistic Lock Error');
    ctx.metrics.dispatchLatency.observe(accepted.waitedMs / 1000);
    return reply.code(200).send(accepted.stage);
  });
}
