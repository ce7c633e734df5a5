// Route parameters of the build routes.

import type { Build, RepoWithKeys } from '../../../core/types.js';
import type { ServerContext } from '../../context.js';
import type { RepoParams } from '../access.js';
import { badRequest, notFound } from '../errors.js';

export interface BuildParams extends RepoParams {
  number: string;
}

export function numberParam(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw badRequest(`${name} must be a number`);
  return Number(value);
}

export async function loadBuild(ctx: ServerContext, repo: RepoWithKeys, request: { params: { number: string | number } }): Promise<Build> {
  const { number } = request.params;
  const build = await ctx.store.builds.findByNumber(repo.id, typeof number === 'number' ? number : numberParam(number, 'build number'));
  if (!build) throw notFound();
  return build;
}
