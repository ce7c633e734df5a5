// PUT /rpc/v2/stage/{id}: status pending/running starts the stage (its steps are created and returned with
// ids); any other status finishes it (steps and stage finish, dependents are promoted or skipped, the build
// completes). A replay of a committed update gets 200 with the stored stage; 409 only for a real conflict.
// Drone ignores the URL id and uses the body's; so do we.

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { UpdateOutcome } from '../../core/store.js';
import type { Stage } from '../../core/types.js';
import type { ServerContext } from '../context.js';
import { parseStageReport } from './body.js';

export function registerUpdateStage(app: FastifyInstance, ctx: ServerContext): void {
  app.put('/stage/:id', async (request, reply) => {
    const body = parseStageReport(request.body);
    const { timings } = ctx.config;
    if (body.status === 'pending' || body.status === 'running') {
      const outcome = await ctx.store.transitions.beginStage(body, timings.timeoutGrace, timings.runningLease);
      if (outcome.kind === 'applied') {
        const { stage, startedBuild } = outcome.value;
        ctx.afterCommit.stageStarted(stage.repo_id, stage.build_id, startedBuild);
      }
      return answer(reply, outcome, (value) => value.stage);
    }
    const outcome = await ctx.store.transitions.finishStage(body);
    if (outcome.kind === 'applied') ctx.afterCommit.stageFinished(outcome.value.aftermath, outcome.value.stage);
    return answer(reply, outcome, (value) => value.stage);
  });
}

function answer<T>(reply: FastifyReply, outcome: UpdateOutcome<T>, stageOf: (value: T) => Stage): FastifyReply {
  switch (outcome.kind) {
    case 'applied':
    case 'replay':
      return reply.code(200).send(stageOf(outcome.value));
    case 'conflict':
      return reply.code(409).type('text/plain').send(`Optimistic Lock Error: ${outcome.reason}`);
    case 'not_found':
      return reply.code(404).type('text/plain').send('stage not found');
  }
}
