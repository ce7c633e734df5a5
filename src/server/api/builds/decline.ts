// POST /api/repos/{owner}/{name}/builds/{number}/decline/{stage} and …/decline (the whole build; every
// stage must be blocked), repo admin: the build is declined (research/drone-server.md §8.4). 204; 400 when
// a stage is not blocked.

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { badRequest, notFound } from '../errors.js';
import { type ApiApp, BuildParams, FormBody, StageParams } from '../schemas.js';
import { loadBuild } from './params.js';

export function registerDeclineBuild(app: ApiApp, ctx: ServerContext): void {
  app.post('/repos/:owner/:name/builds/:number/decline/:stage', { schema: { params: StageParams, body: FormBody } }, async (request, reply) => {
    await decline(ctx, request, request.params.stage);
    return reply.code(204).send();
  });
  app.post('/repos/:owner/:name/builds/:number/decline', { schema: { params: BuildParams, body: FormBody } }, async (request, reply) => {
    await decline(ctx, request, undefined);
    return reply.code(204).send();
  });
}

type DeclineRequest = Parameters<typeof loadRepo>[1] & { params: { number: number } };

async function decline(ctx: ServerContext, request: DeclineRequest, stage: number | undefined): Promise<void> {
  const repo = await loadRepo(ctx, request, 'admin');
  const build = await loadBuild(ctx, repo, request);
  const outcome = await ctx.store.transitions.declineStage(build.id, stage);
  if (outcome.kind === 'not_found') throw notFound();
  if (outcome.kind === 'conflict') throw badRequest(`Cannot decline build with status "${outcome.status}"`);
  ctx.afterCommit.buildDeclined(outcome.build);
}
