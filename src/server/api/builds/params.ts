// The build and the step a route names by number (its params already validated by the route's schema).

import type { Build, RepoWithKeys, Step } from '../../../core/types.js';
import type { ServerContext } from '../../context.js';
import { type Access, loadRepo } from '../access.js';
import { notFound } from '../errors.js';

export async function loadBuild(ctx: ServerContext, repo: RepoWithKeys, request: { params: { number: number } }): Promise<Build> {
  const build = await ctx.store.builds.findByNumber(repo.id, request.params.number);
  if (!build) throw notFound();
  return build;
}

type StepRequest = Parameters<typeof loadRepo>[1] & { params: { number: number; stage: number; step: number } };

/** `…/{build}/{stage}/{step}` of a repository the caller may access as asked (logs, cards). */
export async function loadStep(ctx: ServerContext, request: StepRequest, access: Access): Promise<Step> {
  const repo = await loadRepo(ctx, request, access);
  const build = await loadBuild(ctx, repo, request);
  const step = await ctx.store.stages.findStepByNumbers(build.id, request.params.stage, request.params.step);
  if (!step) throw notFound();
  return step;
}
