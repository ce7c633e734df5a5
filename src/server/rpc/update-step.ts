// PUT /rpc/v2/step/{id}: a step starts (its live stream opens) or finishes (its live stream ends). It may
// come twice for one step (card uploads, retried requests): a replay gets 200 with the stored step.

import type { FastifyInstance } from 'fastify';
import type { Step } from '../../core/types.js';
import type { ServerContext } from '../context.js';
import { parseReport } from './body.js';

/** Live views show a step's start and end. */
async function announce(ctx: ServerContext, stageId: number): Promise<void> {
  const owner = await ctx.store.stages.owner(stageId).catch(() => undefined);
  if (owner) ctx.afterCommit.buildChanged(owner.repoId, owner.buildId);
}

export function registerUpdateStep(app: FastifyInstance, ctx: ServerContext): void {
  app.put('/step/:id', async (request, reply) => {
    const body = parseReport<Step>(request.body, 'step');
    const running = body.status === 'pending' || body.status === 'running';
    if (running) ctx.livelog.open(body.id);
    const outcome = await ctx.store.transitions.updateStep(body, ctx.config.timings.runningLease);
    switch (outcome.kind) {
      case 'applied':
      case 'replay':
        if (!running) ctx.livelog.close(body.id);
        if (outcome.kind === 'applied') void announce(ctx, outcome.value.step_id);
        return reply.code(200).send(outcome.value);
      case 'conflict':
        return reply.code(409).type('text/plain').send(`Optimistic Lock Error: ${outcome.reason}`);
      case 'not_found':
        return reply.code(404).type('text/plain').send('step not found');
    }
  });
}
