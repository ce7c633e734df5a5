// POST /rpc/v2/step/{id}/card: a step's card `{schema, data}`; the data is stored as the card's JSON.

import type { FastifyInstance } from 'fastify';
import { BadRequestError } from '../../core/errors.js';
import type { CardInput } from '../../core/types.js';
import type { ServerContext } from '../context.js';
import { idParam, parseObject } from './body.js';
import { touchStepStage } from './touch.js';

export function registerUploadCard(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { id: string } }>('/step/:id/card', async (request, reply) => {
    const stepId = idParam(request.params.id, 'step id');
    const card = parseObject<CardInput>(request.body, 'card');
    if (card.data === undefined) throw new BadRequestError('card: missing data');
    await ctx.store.cards.put(stepId, Buffer.from(JSON.stringify(card.data)));
    await touchStepStage(ctx, stepId);
    return reply.code(200).send();
  });
}
