// POST /api/repos/{owner}/{name}/cards/{build}/{stage}/{step} (admin access): {schema, data} stores `data`
// as the step's card and `schema` as the step's card schema; answers the step id, as Drone does.

import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { type ApiApp, StepParams } from '../schemas.js';
import { loadStep } from '../builds/params.js';

/** `steps.step_schema` is VARCHAR(2000) on PostgreSQL. */
const SCHEMA_MAX = 2000;

const CardBody = z.object({
  schema: z.string().max(SCHEMA_MAX).nullish(),
  data: z.unknown().refine((value) => value !== undefined, 'data is required'),
});

export function registerCreateCard(app: ApiApp, ctx: ServerContext): void {
  app.post('/repos/:owner/:name/cards/:number/:stage/:step', { schema: { params: StepParams, body: CardBody } }, async (request) => {
    const step = await loadStep(ctx, request, 'admin');
    const { schema, data } = request.body;
    await ctx.store.cards.attach(step.id, { schema: schema ?? '', data: Buffer.from(JSON.stringify(data)) });
    return step.id;
  });
}
