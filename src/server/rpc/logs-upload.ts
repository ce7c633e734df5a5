// POST /rpc/v2/step/{id}/logs/upload: the whole log of a step, authoritative. Merged by position with what
// is stored and with the chunks, into the one `logs` row; a second upload merges too. Any step status.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { idParam, parseLines } from './body.js';
import { touchStepStage } from './touch.js';

export function registerLogsUpload(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { id: string } }>('/step/:id/logs/upload', { bodyLimit: 32 * 1024 * 1024 }, async (request, reply) => {
    const stepId = idParam(request.params.id, 'step id');
    // The upload is a sign of life whatever its size: renew before the (possibly long) merge and after.
    await touchStepStage(ctx, stepId);
    const lines = parseLines(request.body);
    await ctx.chunks.flush();
    await ctx.store.logs.mergeUpload(stepId, lines);
    await touchStepStage(ctx, stepId);
    return reply.code(200).send();
  });
}
