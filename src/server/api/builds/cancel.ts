// DELETE /api/repos/{owner}/{name}/builds/{number}: cancels the build. The database is marked first; the
// runners' watches on every server then answer (bus hint, or the sweep within a second). Answers the build
// with its stages, also when it was already done (then nothing changes).

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { type ApiApp, BuildParams } from '../schemas.js';
import { loadBuild } from './params.js';

export function registerCancelBuild(app: ApiApp, ctx: ServerContext): void {
  app.delete('/repos/:owner/:name/builds/:number', { schema: { params: BuildParams } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const build = await loadBuild(ctx, repo, request);
    const result = await ctx.store.transitions.cancelBuild(build.id);
    if (result.changed) ctx.afterCommit.buildCancelled(result.build, result.endedStepIds);
    return { ...result.build, stages: result.stages };
  });
}
