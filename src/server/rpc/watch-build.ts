// POST /rpc/v2/build/{id}/watch: held until the build is cancelled (200) or the hold ends (204). The
// database is checked after the watch is registered, so a cancel committed at any moment is seen: by the
// bus hint, by this check, or by the sweep. While held, the build's running stages keep their leases.

import type { FastifyInstance } from 'fastify';
import { isDone } from '../../core/status.js';
import type { ServerContext } from '../context.js';
import { idParam } from './body.js';
import { holdRequest } from './long-poll.js';

export function registerWatchBuild(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { id: string } }>('/build/:id/watch', async (request, reply) => {
    const buildId = idParam(request.params.id, 'build id');
    const hold = holdRequest(reply, ctx.config.timings.watchHold, ctx.drain);
    try {
      const cancelled = ctx.watches.wait(buildId, hold.signal);
      const build = await ctx.store.builds.find(buildId);
      if (!build || isDone(build.status)) ctx.watches.cancel(buildId);
      if (await cancelled) return reply.code(200).send();
      if (ctx.drain.started) reply.header('Connection', 'close');
      return reply.code(204).send();
    } finally {
      hold.end();
    }
  });
}
