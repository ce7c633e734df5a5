// The collaborator a request names: the repository (with the access it needs) and the member's permissions.

import type { Collaborator, RepoWithKeys } from '../../../core/types.js';
import type { ServerContext } from '../../context.js';
import { type Access, loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import { RepoParams } from '../schemas.js';

export const MemberParams = RepoParams.extend({ member: RepoParams.shape.name });

export async function loadMember(
  ctx: ServerContext,
  request: Parameters<typeof loadRepo>[1] & { params: { member: string } },
  access: Access,
): Promise<{ repo: RepoWithKeys; member: Collaborator }> {
  const repo = await loadRepo(ctx, request, access);
  const user = await ctx.store.users.findByLogin(request.params.member);
  const member = user && (await ctx.store.repos.collaborator(repo.uid, user.id));
  if (!member) throw notFound();
  return { repo, member };
}
