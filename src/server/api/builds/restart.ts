// POST /api/repos/{owner}/{name}/builds/{number}: restarts a build as a new one with the same commit and
// event; the configuration is read again at that commit. `?debug=true` marks it a debug build.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { loadRepo, requireUser } from '../access.js';
import { badRequest } from '../errors.js';
import { type BuildParams, loadBuild } from './params.js';

export function registerRestartBuild(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: BuildParams; Querystring: Record<string, string> }>('/repos/:owner/:name/builds/:number', async (request) => {
    const user = requireUser(request);
    const repo = await loadRepo(ctx, request, 'write');
    const previous = await loadBuild(ctx, repo, request);
    if (previous.status === 'blocked') throw badRequest('cannot start a blocked build');
    if (previous.status === 'declined') throw badRequest('cannot start a declined build');
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.query)) if (key !== 'access_token' && key !== 'debug') params[key] = String(value);
    return ctx.triggerer.trigger(repo, {
      parent: previous.number,
      trigger: user.login,
      event: previous.event,
      action: previous.action,
      link: previous.link,
      title: previous.title ?? '',
      message: previous.message,
      before: previous.before,
      after: previous.after,
      ref: previous.ref,
      source_repo: previous.source_repo,
      source: previous.source,
      target: previous.target,
      author_login: previous.author_login,
      author_name: previous.author_name,
      author_email: previous.author_email,
      author_avatar: previous.author_avatar,
      sender: previous.sender,
      cron: previous.cron,
      deploy_to: previous.deploy_to,
      deploy_id: previous.deploy_id,
      debug: request.query.debug === 'true',
      params: { ...params, ...(previous.params ?? {}) },
    });
  });
}
