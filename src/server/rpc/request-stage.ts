// POST /rpc/v2/stage: a runner's long-poll for work. Held up to the poll hold (30 s), answered with a
// reserved stage, or 204 when the hold ends. Never 4xx/500 after authentication (DESIGN §3a).

import type { FastifyInstance } from 'fastify';
import type { Filter } from '../../core/types.js';
import type { ServerContext } from '../context.js';
import { normaliseFilter } from '../../scheduler/filter.js';
import { parseJson } from './body.js';
import { holdRequest } from './long-poll.js';

export function registerRequestStage(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/stage', async (request, reply) => {
    const body = parseJson(request.body);
    const filter = normaliseFilter(body && typeof body === 'object' ? (body as Partial<Filter>) : undefined);
    const hold = holdRequest(reply, ctx.config.timings.stagePollHold, ctx.drain);
    try {
      const stage = await ctx.dispatcher.request(filter, hold.signal);
      if (!stage && ctx.drain.started) {
        // Leaving: the runner's next poll goes to another server (a stock runner re-polls at once after
        // an empty stage; after 204 it sleeps 10 s).
        reply.header('Connection', 'close');
        return ctx.config.drain.pollAnswer === 'empty-stage' ? reply.code(200).send({ id: 0 }) : reply.code(204).send();
      }
      if (!stage) return reply.code(204).send();
      if (hold.gone()) {
        await ctx.dispatcher.giveBack(stage);
        return reply;
      }
      return reply.code(200).send(stage);
    } finally {
      hold.end();
    }
  });
}
