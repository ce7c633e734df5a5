// DELETE /api/repos/{owner}/{name}/collaborators/{member} (admin access): removes the member's permission
// row (Drone: for a database out of step with the SCM; the next sync may bring it back); 204.

import type { ServerContext } from '../../context.js';
import type { ApiApp } from '../schemas.js';
import { MemberParams, loadMember } from './member.js';

export function registerDeleteCollaborator(app: ApiApp, ctx: ServerContext): void {
  app.delete('/repos/:owner/:name/collaborators/:member', { schema: { params: MemberParams } }, async (request, reply) => {
    const { repo, member } = await loadMember(ctx, request, 'admin');
    await ctx.store.repos.setPermissions(member.user_id, repo.uid, undefined);
    return reply.code(204).send();
  });
}
