// GET /api/repos/{owner}/{name}/builds/{number}: the build with its stages and their steps.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { type BuildParams, loadBuild } from './params.js';

export function registerFindBuild(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: BuildParams }>('/repos/:owner/:name/builds/:number', async (request) => {
    const repo = await loadRepo(ctx, request, 'read');
    const build = await loadBuild(ctx, repo, request);
    return { ...build, stages: await ctx.store.builds.stages(build.id, true) };
  });
}
