// GET /api/repos/{owner}/{name}/builds/{number}: the build with its stages and their steps.

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { type ApiApp, BuildParams } from '../schemas.js';
import { loadBuild } from './params.js';

export function registerFindBuild(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/builds/:number', { schema: { params: BuildParams } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'read');
    const build = await loadBuild(ctx, repo, request);
    return { ...build, stages: await ctx.store.builds.stages(build.id, true) };
  });
}
