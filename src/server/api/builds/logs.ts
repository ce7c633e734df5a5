// GET /api/repos/{owner}/{name}/builds/{number}/logs/{stage}/{step}: a step's stored log, a JSON array of
// `{pos, out, time}` lines ordered by position; 404 when the step has no log. DELETE (repo admin) removes it.

import type { ServerContext } from '../../context.js';
import { notFound } from '../errors.js';
import { type ApiApp, StepParams } from '../schemas.js';
import { loadStep } from './params.js';

export function registerStepLogs(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/builds/:number/logs/:stage/:step', { schema: { params: StepParams } }, async (request, reply) => {
    const step = await loadStep(ctx, request, 'read');
    const lines = await ctx.store.logs.find(step.id);
    if (!lines) throw notFound();
    return reply.type('application/json').send(lines);
  });
  app.delete('/repos/:owner/:name/builds/:number/logs/:stage/:step', { schema: { params: StepParams } }, async (request, reply) => {
    const step = await loadStep(ctx, request, 'admin');
    await ctx.store.logs.delete(step.id);
    return reply.code(204).send();
  });
}
