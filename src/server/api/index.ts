// The REST API under /api (research/drone-server.md §5), as one encapsulated plugin: the caller is
// authenticated once per request, and every error is `{"message": "…"}` with its status — transient
// failures are 503, never a 500 with a stack trace.

import type { FastifyError, FastifyInstance } from 'fastify';
import { BadRequestError, NotFoundError, TransientError, UnauthorizedError, UpstreamError } from '../../core/errors.js';
import type { ServerContext } from '../context.js';
import { authenticate } from './auth.js';
import { registerCancelBuild } from './builds/cancel.js';
import { registerCreateBuild } from './builds/create.js';
import { registerCreateCron } from './cron/create.js';
import { registerDeleteCron } from './cron/delete.js';
import { registerExecuteCron } from './cron/execute.js';
import { registerFindCron } from './cron/find.js';
import { registerListCrons } from './cron/list.js';
import { registerUpdateCron } from './cron/update.js';
import { registerFindBuild } from './builds/find.js';
import { registerListBuilds } from './builds/list.js';
import { registerStepLogs } from './builds/logs.js';
import { registerRestartBuild } from './builds/restart.js';
import { ApiError } from './errors.js';
import { registerChownRepo } from './repos/chown.js';
import { registerDisableRepo } from './repos/disable.js';
import { registerEnableRepo } from './repos/enable.js';
import { registerFindRepo } from './repos/find.js';
import { registerRepairRepo } from './repos/repair.js';
import { registerRepoHook } from './repos/hook.js';
import { registerListAllRepos } from './repos/list-all.js';
import { registerUpdateRepo } from './repos/update.js';
import { registerCreateSecret } from './secrets/create.js';
import { registerDeleteSecret } from './secrets/delete.js';
import { registerFindSecret } from './secrets/find.js';
import { registerListSecrets } from './secrets/list.js';
import { registerUpdateSecret } from './secrets/update.js';
import { registerEventStreams } from './stream/events.js';
import { registerLogStream } from './stream/logs.js';
import { registerGetUser } from './user/get-user.js';
import { registerListUserRepos } from './user/list-repos.js';
import { registerSyncUserRepos } from './user/sync-repos.js';

export async function apiPlugin(app: FastifyInstance, options: { ctx: ServerContext }): Promise<void> {
  const { ctx } = options;
  app.decorateRequest('user', undefined);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('Cache-Control', 'no-cache, no-store, must-revalidate, private, max-age=0');
    request.user = await authenticate(ctx, request);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = statusOf(error);
    if (status >= 500) request.log.error({ err: error, path: request.url.split('?')[0] }, 'api error');
    const message = status === 503 ? 'service unavailable, retry later' : status >= 500 ? 'internal error' : error.message;
    return reply.code(status).send({ message });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ message: 'Not Found' }));

  registerGetUser(app);
  registerListUserRepos(app, ctx);
  registerSyncUserRepos(app, ctx);
  registerListAllRepos(app, ctx);
  registerFindRepo(app, ctx);
  registerEnableRepo(app, ctx);
  registerUpdateRepo(app, ctx);
  registerDisableRepo(app, ctx);
  registerRepairRepo(app, ctx);
  registerChownRepo(app, ctx);
  registerRepoHook(app, ctx);
  registerListBuilds(app, ctx);
  registerCreateBuild(app, ctx);
  registerFindBuild(app, ctx);
  registerRestartBuild(app, ctx);
  registerCancelBuild(app, ctx);
  registerStepLogs(app, ctx);
  registerListSecrets(app, ctx);
  registerCreateSecret(app, ctx);
  registerFindSecret(app, ctx);
  registerUpdateSecret(app, ctx);
  registerDeleteSecret(app, ctx);
  registerListCrons(app, ctx);
  registerCreateCron(app, ctx);
  registerFindCron(app, ctx);
  registerUpdateCron(app, ctx);
  registerDeleteCron(app, ctx);
  registerExecuteCron(app, ctx);
  registerEventStreams(app, ctx);
  registerLogStream(app, ctx);
}

function statusOf(error: FastifyError): number {
  if (error instanceof ApiError) return error.statusCode;
  if (error instanceof BadRequestError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof TransientError) return 503;
  // The SCM failed, or refused the token the server used for the caller: nothing changed, try again later.
  if (error instanceof UpstreamError || error instanceof UnauthorizedError) return 502;
  // Fastify's own errors (malformed JSON, body too large, unsupported media type) carry a 4xx status.
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) return error.statusCode;
  return 500;
}
