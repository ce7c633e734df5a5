// GET /api/repos/{owner}/{name}/builds/{number}/logs/{stage}/{step}: a step's stored log, a JSON array of
// `{pos, out, time}` lines ordered by position; 404 when the step has no log.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import { type BuildParams, loadBuild, numberParam } from './params.js';

interface LogParams extends BuildParams {
  stage: string;
  step: string;
}

export function registerStepLogs(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: LogParams }>('/repos/:owner/:name/builds/:number/logs/:stage/:step', async (request, reply) => {
    const repo = await loadRepo(ctx, request, 'read');
    const build = await loadBuild(ctx, repo, request);
    const step = await ctx.store.stages.findStepByNumbers(build.id, numberParam(request.params.stage, 'stage number'), numberParam(request.params.step, 'step number'));
    if (!step) throw notFound();
    const lines = await ctx.store.logs.find(step.id);
    if (!lines) throw notFound();
    return reply.type('application/json').send(lines);
  });
}
