// The step a card route names: /cards/{build}/{stage}/{step} by build, stage and step numbers.

import type { Step } from '../../../core/types.js';
import type { ServerContext } from '../../context.js';
import { type Access, loadRepo } from '../access.js';
import { notFound } from '../errors.js';

type StepRequest = Parameters<typeof loadRepo>[1] & { params: { number: number; stage: number; step: number } };

export async function loadCardStep(ctx: ServerContext, request: StepRequest, access: Access): Promise<Step> {
  const repo = await loadRepo(ctx, request, access);
  const { number, stage, step } = request.params;
  const build = await ctx.store.builds.findByNumber(repo.id, number);
  const found = build && (await ctx.store.stages.findStepByNumbers(build.id, stage, step));
  if (!found) throw notFound();
  return found;
}
