// GET /api/repos/{owner}/{name}/cards/{build}/{stage}/{step} (read access): the step's card, the JSON the
// runner or the API stored; 404 when the step has none.

import type { ServerContext } from '../../context.js';
import { notFound } from '../errors.js';
import { type ApiApp, StepParams } from '../schemas.js';
import { loadStep } from '../builds/params.js';

export function registerFindCard(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/cards/:number/:stage/:step', { schema: { params: StepParams } }, async (request, reply) => {
    const step = await loadStep(ctx, request, 'read');
    const card = await ctx.store.cards.find(step.id);
    if (!card) throw notFound();
    return reply.type('application/json').send(card);
  });
}
