// PATCH /api/repos/{owner}/{name}: repository settings. Repo admins may change the everyday settings;
// trusted, timeout, throttle and counter are for system admins, as in Drone.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RepoPatch } from '../../../core/store.js';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo, publicRepo } from '../access.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { configPath } from './config-path.js';
import { parseBody } from '../validate.js';

const PatchBody = z.object({
  visibility: z.enum(['public', 'private', 'internal']).optional(),
  config_path: configPath.optional(),
  protected: z.boolean().optional(),
  ignore_forks: z.boolean().optional(),
  ignore_pull_requests: z.boolean().optional(),
  auto_cancel_pull_requests: z.boolean().optional(),
  auto_cancel_pushes: z.boolean().optional(),
  auto_cancel_running: z.boolean().optional(),
  default_branch: z.string().min(1).optional(),
  git_http_url: z.string().min(1).optional(),
  trusted: z.boolean().optional(),
  // A runner treats a timeout of 0 as already expired: at least one minute.
  timeout: z.number().int().min(1).max(60 * 24 * 7).optional(),
  throttle: z.number().int().min(0).optional(),
  counter: z.number().int().min(0).optional(),
});

const ADMIN_ONLY = ['trusted', 'timeout', 'throttle', 'counter'] as const;
/** What the SCM owns when one is connected: set by sync and repair, never by hand (a clone URL pointing elsewhere would get the owner's token). */
const FROM_SCM = ['git_http_url', 'default_branch'] as const;

export function registerUpdateRepo(app: FastifyInstance, ctx: ServerContext): void {
  app.patch<{ Params: RepoParams }>('/repos/:owner/:name', async (request) => {
    const repo = await loadRepo(ctx, request, 'admin');
    const patch: RepoPatch = parseBody(PatchBody, request.body ?? {});
    if (!request.user?.admin && ADMIN_ONLY.some((key) => patch[key] !== undefined)) throw forbidden();
    const fromScm = FROM_SCM.find((key) => patch[key] !== undefined);
    if (ctx.scm.repos && fromScm) throw badRequest(`${fromScm} comes from the SCM: repair the repository to read it again`);
    const updated = await ctx.store.repos.update(repo.id, patch);
    if (!updated) throw notFound();
    return publicRepo(updated);
  });
}
