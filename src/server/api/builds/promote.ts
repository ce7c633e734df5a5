// POST /api/repos/{owner}/{name}/builds/{number}/promote and …/rollback?target=ENV (research/drone-server.md
// §8.3): a new build of the same commit with event promote or rollback and `deploy_to` = target; pipelines
// select it with `trigger: event: [promote]` and `target: [ENV]`. The earlier build's parameters are kept,
// overridden by the request's. `target` may come in the query (drone CLI) or a form (drone-node).

import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { loadRepo, requireUser } from '../access.js';
import { badRequest } from '../errors.js';
import { type ApiApp, BuildParams, FormBody, withParams } from '../schemas.js';
import { loadBuild } from './params.js';
import { customParams, formValue, rebuildOf } from './rebuild.js';

const Query = withParams({ target: z.string().max(255).optional() });

export function registerPromoteBuild(app: ApiApp, ctx: ServerContext): void {
  for (const event of ['promote', 'rollback'] as const) {
    app.post(`/repos/:owner/:name/builds/:number/${event}`, { schema: { params: BuildParams, querystring: Query, body: FormBody } }, async (request) => {
      const user = requireUser(request);
      const repo = await loadRepo(ctx, request, 'write');
      const previous = await loadBuild(ctx, repo, request);
      const target = formValue(request.query, request.body, 'target');
      if (!target) throw badRequest('Missing target environment');
      const params = customParams(request.query, request.body, ['target']);
      return ctx.triggerer.trigger(
        repo,
        rebuildOf(previous, user.login, { event, action: '', deploy_to: target, deploy_id: 0, params: { ...(previous.params ?? {}), ...params } }),
      );
    });
  }
}
