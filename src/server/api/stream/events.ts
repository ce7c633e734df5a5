// GET /api/stream (every build the caller may see) and GET /api/stream/{owner}/{name} (one repository):
// the repository with its changed build, as Drone's UI reads them.

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { type ApiApp, RepoParams } from '../schemas.js';
import { openSse } from './sse.js';

export function registerEventStreams(app: ApiApp, ctx: ServerContext): void {
  app.get('/stream', async (request, reply) => {
    const user = request.user;
    // As Drone: public repositories for everyone, internal ones for users, and the user's own (read at connect).
    const own = new Set(user ? (await ctx.store.repos.listForUser(user.id)).map((repo) => repo.slug) : []);
    const stream = openSse(request, reply, ctx.drain);
    const stop = ctx.buildEvents.add({
      allowed: (repo) => repo.visibility === 'public' || (user !== undefined && (user.admin || repo.visibility === 'internal' || own.has(repo.slug))),
      send: (json) => stream.send(json),
    });
    await stream.closed;
    stop();
  });

  app.get('/stream/:owner/:name', { schema: { params: RepoParams } }, async (request, reply) => {
    const repo = await loadRepo(ctx, request, 'read');
    const stream = openSse(request, reply, ctx.drain);
    const stop = ctx.buildEvents.add({ allowed: (changed) => changed.id === repo.id, send: (json) => stream.send(json) });
    await stream.closed;
    stop();
  });
}
