// GET /rpc/v2/stage/{id}: everything a runner needs to run a stage (research/drone-server.md §1.4). The
// configuration is the one stored with the build, not a second fetch from the SCM. Only for a stage a
// runner has accepted and not finished: the secrets and clone credentials of a stage still in the queue, or
// over, go to no one (Drone answered for any stage id).

import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../core/errors.js';
import { netrcFor } from '../../accounts/netrc.js';
import type { StageDetails } from '../../core/types.js';
import { VERSION } from '../../version.js';
import type { ServerContext } from '../context.js';
import { idParam } from './body.js';

export function registerStageDetails(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { id: string } }>('/stage/:id', async (request, reply) => {
    const stageId = idParam(request.params.id, 'stage id');
    const details = await loadDetails(ctx, stageId);
    if (!details) return reply.code(409).type('text/plain').send(`stage ${stageId} is not accepted by a runner`);
    ctx.renewer.touch(stageId);
    return reply.code(200).send(details);
  });
}

/** Undefined when no runner holds the stage (still queued, or over). */
async function loadDetails(ctx: ServerContext, stageId: number): Promise<StageDetails | undefined> {
  const { store } = ctx;
  const context = await store.stages.withContext(stageId);
  if (!context) throw new NotFoundError(`stage ${stageId} not found`);
  const { stage, build, stages, repo, config } = context;
  if (!stage.machine || (stage.status !== 'pending' && stage.status !== 'running')) return undefined;
  if (!config) throw new NotFoundError(`no configuration stored for build ${build.id}`);
  const { signer: _signer, secret, ...publicRepo } = repo;
  const netrc = await netrcFor({ scm: ctx.scm, credentials: ctx.credentials, git: ctx.config.git, onError: (err) => ctx.log.warn({ err, repo: publicRepo.slug }, 'no clone credentials: the owner\'s SCM token is unusable') }, publicRepo);
  const { server } = ctx.config;
  return {
    repository: { ...publicRepo, secret },
    build: { ...build, stages },
    stage,
    config: { Data: Buffer.from(config.data, 'utf8').toString('base64'), Hash: null },
    secrets: context.runnerSecrets(),
    system: { proto: server.proto, host: server.host, link: server.addr, version: VERSION },
    netrc,
  };
}
