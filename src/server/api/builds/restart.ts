// POST /api/repos/{owner}/{name}/builds/{number}: restarts a build as a new one with the same commit and
// event; the configuration is read again at that commit. `?debug=true` marks it a debug build. Parameters
// from the query (drone CLI) or a form (drone-node) are added; the earlier build's parameters win, as in Drone.

import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { loadRepo, requireUser } from '../access.js';
import { badRequest } from '../errors.js';
import { type ApiApp, BuildParams, FormBody, withParams } from '../schemas.js';
import { loadBuild } from './params.js';
import { customParams, formValue, rebuildOf } from './rebuild.js';

const Query = withParams({ debug: z.string().max(8).optional() });

export function registerRestartBuild(app: ApiApp, ctx: ServerContext): void {
  app.post('/repos/:owner/:name/builds/:number', { schema: { params: BuildParams, querystring: Query, body: FormBody } }, async (request) => {
    const user = requireUser(request);
    const repo = await loadRepo(ctx, request, 'write');
    const previous = await loadBuild(ctx, repo, request);
    if (previous.status === 'blocked') throw badRequest('cannot start a blocked build');
    if (previous.status === 'declined') throw badRequest('cannot start a declined build');
    const params = customParams(request.query, request.body, ['debug']);
    return ctx.triggerer.trigger(
      repo,
      rebuildOf(previous, user.login, {
        debug: formValue(request.query, request.body, 'debug') === 'true',
        params: { ...params, ...(previous.params ?? {}) },
      }),
    );
  });
}
