// GET /api/badges/{owner}/{name}/status.svg[?ref=|?branch=]: the status badge of the newest build on the
// ref (default: the default branch). Like Drone it needs no login and always answers an SVG — "none" for an
// unknown repository or ref — and it is shown for private repositories too (issue 14 revisits that).

import type { FastifyReply } from 'fastify';
import type { ServerContext } from '../../context.js';
import { requestedRef } from '../builds/latest.js';
import { type ApiApp, RefQuery, RepoParams } from '../schemas.js';
import { type BadgeState, badgeState, badgeSvg } from './svg.js';

export function registerStatusBadge(app: ApiApp, ctx: ServerContext): void {
  app.get('/badges/:owner/:name/status.svg', { schema: { params: RepoParams, querystring: RefQuery } }, async (request, reply) => {
    const { owner, name } = request.params;
    const repo = await ctx.store.repos.findBySlug(`${owner}/${name}`);
    const build = repo && (await ctx.store.builds.latest(repo.id, requestedRef(request.query, repo)));
    return sendBadge(reply, badgeState(build ? build.status : undefined));
  });
}

function sendBadge(reply: FastifyReply, state: BadgeState): FastifyReply {
  return reply
    .header('Content-Type', 'image/svg+xml')
    .header('Access-Control-Allow-Origin', '*')
    .header('Cache-Control', 'no-cache, no-store, max-age=0, must-revalidate')
    .header('Expires', 'Thu, 01 Jan 1970 00:00:00 GMT')
    .send(badgeSvg(state));
}
