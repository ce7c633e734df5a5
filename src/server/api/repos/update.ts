// PATCH /api/repos/{owner}/{name}: repository settings. Repo admins may change the everyday settings;
// trusted, timeout, throttle and counter are for system admins, as in Drone.

import { z } from 'zod';
import type { RepoPatch } from '../../../core/store.js';
import type { ServerContext } from '../../context.js';
import { loadRepo, publicRepo } from '../access.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { configPath } from './config-path.js';
import { withoutNulls } from '../nulls.js';
import { type ApiApp, RepoParams } from '../schemas.js';

// drone-go sends `null` for the booleans it does not change (research/drone-clients.md §2.2): null is "unchanged".
const PatchBody = z.object({
  visibility: z.enum(['public', 'private', 'internal']).nullish(),
  config_path: configPath.nullish(),
  protected: z.boolean().nullish(),
  ignore_forks: z.boolean().nullish(),
  ignore_pull_requests: z.boolean().nullish(),
  auto_cancel_pull_requests: z.boolean().nullish(),
  auto_cancel_pushes: z.boolean().nullish(),
  auto_cancel_running: z.boolean().nullish(),
  default_branch: z.string().min(1).max(255).nullish(),
  git_http_url: z.string().min(1).max(2000).nullish(),
  trusted: z.boolean().nullish(),
  // A runner treats a timeout of 0 as already expired: at least one minute.
  timeout: z.number().int().min(1).max(60 * 24 * 7).nullish(),
  throttle: z.number().int().min(0).max(100_000).nullish(),
  counter: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish(),
});

const ADMIN_ONLY = ['trusted', 'timeout', 'throttle', 'counter'] as const;
/** What the SCM owns when one is connected: set by sync and repair, never by hand (a clone URL pointing elsewhere would get the owner's token). */
const FROM_SCM = ['git_http_url', 'default_branch'] as const;

export function registerUpdateRepo(app: ApiApp, ctx: ServerContext): void {
  app.patch('/repos/:owner/:name', { schema: { params: RepoParams, body: PatchBody.nullish() } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'admin');
    const patch: RepoPatch = withoutNulls(request.body ?? {});
    if (!request.user?.admin && ADMIN_ONLY.some((key) => patch[key] !== undefined)) throw forbidden();
    const fromScm = FROM_SCM.find((key) => patch[key] !== undefined);
    if (ctx.scm.repos && fromScm) throw badRequest(`${fromScm} comes from the SCM: repair the repository to read it again`);
    const updated = await ctx.store.repos.update(repo.id, patch);
    if (!updated) throw notFound();
    return publicRepo(updated);
  });
}
