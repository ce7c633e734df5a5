// POST /api/user/repos: syncs the caller's repositories from the SCM, then lists them. With `async=true`
// (in the query, or in a form body as drone-node sends it) it answers 204 at once and syncs in the
// background, as Drone does. The local git provider has nothing to sync: the list is answered as it is.

import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { requireUser } from '../access.js';
import { type ApiApp, FormBody } from '../schemas.js';

const Query = z.object({ async: z.string().max(8).optional() });

export function registerSyncUserRepos(app: ApiApp, ctx: ServerContext): void {
  app.post('/user/repos', { schema: { querystring: Query, body: FormBody } }, async (request, reply) => {
    const user = requireUser(request);
    const async = request.query.async === 'true' || request.body?.async === 'true';
    const sync = ctx.repoSync.available ? ctx.repoSync.sync(user.id) : Promise.resolve();
    if (async) {
      sync.catch((err: unknown) => request.log.warn({ err, user: user.login }, 'repository sync failed'));
      return reply.code(204).send();
    }
    await sync;
    return ctx.store.repos.listForUser(user.id);
  });
}
