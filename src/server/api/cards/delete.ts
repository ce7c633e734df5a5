// DELETE /api/repos/{owner}/{name}/cards/{build}/{stage}/{step} (admin access): 204; 404 without a card.

import type { ServerContext } from '../../context.js';
import { notFound } from '../errors.js';
import { type ApiApp, StepParams } from '../schemas.js';
import { loadStep } from '../builds/params.js';

export function registerDeleteCard(app: ApiApp, ctx: ServerContext): void {
  app.delete('/repos/:owner/:name/cards/:number/:stage/:step', { schema: { params: StepParams } }, async (request, reply) => {
    const step = await loadStep(ctx, request, 'admin');
    if (!(await ctx.store.cards.delete(step.id))) throw notFound();
    return reply.code(204).send();
  });
}
