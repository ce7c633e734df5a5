// /api/queue (system admin): GET lists the pending and running stages, oldest first; DELETE pauses and POST
// resumes dispatch — for every server of a cluster, since the flag is a database row that the reservation
// statement itself reads (Drone kept it in one server's memory). 204 for both.

import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import { type ApiApp, FormBody } from '../schemas.js';

const QUEUE_LIMIT = 1000;

export function registerQueue(app: ApiApp, ctx: ServerContext): void {
  app.get('/queue', async (request) => {
    requireAdmin(request);
    return (await ctx.store.buildQueries.incompleteStages(QUEUE_LIMIT)).map((item) => item.stage);
  });
  app.delete('/queue', async (request, reply) => {
    requireAdmin(request);
    await ctx.store.queue.setPaused(true);
    request.log.info('queue paused');
    return reply.code(204).send();
  });
  app.post('/queue', { schema: { body: FormBody } }, async (request, reply) => {
    requireAdmin(request);
    await ctx.store.queue.setPaused(false);
    ctx.afterCommit.queueResumed();
    request.log.info('queue resumed');
    return reply.code(204).send();
  });
}
