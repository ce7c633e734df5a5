// POST /api/user/repos: syncs the caller's repositories from the SCM, then lists them (`async=true`, in the
// query or as drone-node sends it in a form body, answers 204 at once and syncs in the background). The local git provider has nothing to sync: the list
// is answered as it is.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { requireUser } from '../access.js';

export function registerSyncUserRepos(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Querystring: { async?: string }; Body: { async?: string } | undefined }>('/user/repos', async (request, reply) => {
    const user = requireUser(request);
    const async = request.query.async === 'true' || (typeof request.body === 'object' && request.body?.async === 'true');
    if (ctx.repoSync.available) {
      const sync = ctx.repoSync.sync(user.id);
      if (async) {
        sync.catch((err: unknown) => request.log.warn({ err, user: user.login }, 'repository sync failed'));
        return reply.code(204).send();
      }
      await sync;
    }
    return ctx.store.repos.listForUser(user.id);
  });
}
