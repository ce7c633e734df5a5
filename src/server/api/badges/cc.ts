// GET /api/badges/{owner}/{name}/cc.xml (read access): the repository's last build (numbered
// `repo.counter`) as a CCMenu/cctray project, as Drone describes it; 404 when there is none.

import type { Build, Repo } from '../../../core/types.js';
import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import { type ApiApp, RepoParams } from '../schemas.js';

export function registerCcMenu(app: ApiApp, ctx: ServerContext): void {
  app.get('/badges/:owner/:name/cc.xml', { schema: { params: RepoParams } }, async (request, reply) => {
    const repo = await loadRepo(ctx, request, 'read');
    const build = repo.counter > 0 ? await ctx.store.builds.findByNumber(repo.id, repo.counter) : undefined;
    if (!build) throw notFound();
    const link = `${ctx.config.server.addr}/${repo.slug}/${build.number}`;
    return reply.header('Content-Type', 'text/xml; charset=utf-8').send(ccProjects(repo, build, link));
  });
}

/** Drone's CCProject: a build still going is "Building" with an unknown result; a finished one is "Sleeping". */
function ccProjects(repo: Repo, build: Build, link: string): string {
  const going = build.status === 'pending' || build.status === 'running' || build.status === 'blocked';
  const attributes = {
    name: repo.slug,
    activity: going ? 'Building' : 'Sleeping',
    lastBuildStatus: ccStatus(build.status),
    lastBuildLabel: going ? 'Unknown' : String(build.number),
    lastBuildTime: going ? '' : rfc3339(build.started),
    webUrl: link,
  };
  const rendered = Object.entries(attributes)
    .map(([key, value]) => `${key}="${escapeXml(value)}"`)
    .join(' ');
  return `<Projects><Project ${rendered}></Project></Projects>`;
}

function ccStatus(status: Build['status']): string {
  switch (status) {
    case 'error':
    case 'killed':
    case 'declined':
      return 'Exception';
    case 'success':
      return 'Success';
    case 'failure':
      return 'Failure';
    default:
      return 'Unknown';
  }
}

/** Unix seconds as RFC 3339 in UTC, without fractions (Go's time.RFC3339). */
function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
