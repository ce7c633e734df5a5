// The runner protocol, /rpc/v2 (research/drone-server.md §1, DESIGN §3a), as one encapsulated plugin:
// bodies are parsed as JSON whatever their content type (runner-go sends none), `X-Drone-Token` is checked
// (403 without a configured secret, 401 when wrong), and errors are answered the way stock runners cope
// with: 400 for bad input, 503 for anything transient or unexpected — never 500, which a stock runner
// does not retry.

import type { FastifyError, FastifyInstance } from 'fastify';
import { BadRequestError, NotFoundError } from '../../core/errors.js';
import { rpcTokenMatches } from '../auth/rpc-token.js';
import type { ServerContext } from '../context.js';
import { registerAcceptStage } from './accept-stage.js';
import { registerLogsBatch } from './logs-batch.js';
import { registerLogsUpload } from './logs-upload.js';
import { registerPing } from './ping.js';
import { registerRequestStage } from './request-stage.js';
import { registerStageDetails } from './stage-details.js';
import { registerUpdateStage } from './update-stage.js';
import { registerUpdateStep } from './update-step.js';
import { registerUploadCard } from './upload-card.js';
import { registerWatchBuild } from './watch-build.js';

const BODY_LIMIT = 32 * 1024 * 1024;

export async function rpcPlugin(app: FastifyInstance, options: { ctx: ServerContext }): Promise<void> {
  const { ctx } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    reply.header('Cache-Control', 'no-cache, no-store, must-revalidate, private, max-age=0');
    const secret = ctx.config.rpc.secret;
    if (!secret) return reply.code(403).send();
    if (!rpcTokenMatches(request.headers['x-drone-token'], secret)) return reply.code(401).send({ message: 'Unauthorized' });
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof BadRequestError || (error as { statusCode?: number }).statusCode === 400) {
      return reply.code(400).type('text/plain').send(error.message);
    }
    if ((error as { statusCode?: number }).statusCode === 413) return reply.code(413).type('text/plain').send(error.message);
    if (error instanceof NotFoundError) return reply.code(404).type('text/plain').send(error.message);
    request.log.warn({ err: error, url: request.url }, 'rpc: answering 503');
    return reply.code(503).type('text/plain').send('service unavailable, retry later');
  });

  registerPing(app);
  registerRequestStage(app, ctx);
  registerAcceptStage(app, ctx);
  registerStageDetails(app, ctx);
  registerUpdateStage(app, ctx);
  registerUpdateStep(app, ctx);
  registerWatchBuild(app, ctx);
  registerLogsBatch(app, ctx);
  registerLogsUpload(app, ctx);
  registerUploadCard(app, ctx);
}
