// Every runner call about a step is a sign of life for its stage's lease.

import type { ServerContext } from '../context.js';

export async function touchStepStage(ctx: ServerContext, stepId: number): Promise<void> {
  const stageId = await ctx.store.stages.stageOfStep(stepId);
  if (stageId !== undefined) ctx.renewer.touch(stageId);
}
