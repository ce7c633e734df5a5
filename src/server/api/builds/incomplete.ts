// GET /api/builds/incomplete and /api/builds/incomplete/v2 (system admin): the builds that have pending or
// running stages — as repositories with the build embedded (v1, at most 50 as Drone), or as one flat row
// per unfinished stage (v2, drone-go's RepoBuildStage).

import type { IncompleteStage } from '../../../core/store.js';
import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import type { ApiApp } from '../schemas.js';

const INCOMPLETE_LIMIT = 50;
const STAGE_LIMIT = 1000;

export function registerIncompleteBuilds(app: ApiApp, ctx: ServerContext): void {
  app.get('/builds/incomplete', async (request) => {
    requireAdmin(request);
    return (await ctx.store.buildQueries.incomplete(INCOMPLETE_LIMIT)).map(({ repo, build }) => ({ ...repo, build }));
  });
  app.get('/builds/incomplete/v2', async (request) => {
    requireAdmin(request);
    return (await ctx.store.buildQueries.incompleteStages(STAGE_LIMIT)).map(flatRow);
  });
}

function flatRow({ repo, build, stage }: IncompleteStage): Record<string, string | number> {
  return {
    repo_namespace: repo.namespace,
    repo_name: repo.name,
    repo_slug: repo.slug,
    build_number: build.number,
    build_author: build.author_login,
    build_author_name: build.author_name,
    build_author_email: build.author_email,
    build_author_avatar: build.author_avatar,
    build_sender: build.sender,
    build_started: build.started,
    build_finished: build.finished,
    build_created: build.created,
    build_updated: build.updated,
    stage_name: stage.name,
    stage_kind: stage.kind ?? '',
    stage_type: stage.type ?? '',
    stage_status: stage.status,
    stage_machine: stage.machine ?? '',
    stage_os: stage.os,
    stage_arch: stage.arch,
    stage_variant: stage.variant ?? '',
    stage_kernel: stage.kernel ?? '',
    stage_limit: String(stage.limit ?? 0),
    stage_limit_repo: String(stage.throttle ?? 0),
    stage_started: stage.started,
    stage_stopped: stage.stopped,
  };
}
