// POST /api/repos/{owner}/{name}/builds/{number}/approve/{stage} (repo admin): a blocked stage runs
// (research/drone-server.md §8.4). 204; 400 when the stage is not blocked.

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { badRequest, notFound } from '../errors.js';
import { type ApiApp, FormBody, StageParams } from '../schemas.js';
import { loadBuild } from './params.js';

export function registerApproveStage(app: ApiApp, ctx: ServerContext): void {
  app.post('/repos/:owner/:name/builds/:number/approve/:stage', { schema: { params: StageParams, body: FormBody } }, async (request, reply) => {
    const repo = await loadRepo(ctx, request, 'admin');
    const build = await loadBuild(ctx, repo, request);
    const outcome = await ctx.store.transitions.approveStage(build.id, request.params.stage);
    if (outcome.kind === 'not_found') throw notFound();
    if (outcome.kind === 'conflict') throw badRequest(`Cannot approve a Pipeline with Status "${outcome.status}"`);
    ctx.afterCommit.stagesApproved(outcome.aftermath);
    return reply.code(204).send();
  });
}
