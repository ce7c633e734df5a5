// POST /rpc/v2/step/{id}/logs/batch: live lines. Always 200 (a stock runner sends each batch once and
// ignores errors): the lines go to the live stream and to this server's chunk buffer. The answer waits for
// the live stream (a fail-fast write): a runner's next batch, wherever it lands, then comes after this one.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { idParam, parseLines } from './body.js';
import { touchStepStage } from './touch.js';

export function registerLogsBatch(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { id: string } }>('/step/:id/logs/batch', { bodyLimit: 16 * 1024 * 1024 }, async (request, reply) => {
    const stepId = idParam(request.params.id, 'step id');
    const lines = parseLines(request.body);
    ctx.chunks.add(stepId, lines);
    await ctx.livelog.write(stepId, lines);
    await touchStepStage(ctx, stepId);
    return reply.code(200).send();
  });
}
