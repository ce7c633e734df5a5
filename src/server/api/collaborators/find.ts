// GET /api/repos/{owner}/{name}/collaborators/{member} (read access): one member's permissions.

import type { ServerContext } from '../../context.js';
import type { ApiApp } from '../schemas.js';
import { MemberParams, loadMember } from './member.js';

export function registerFindCollaborator(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/collaborators/:member', { schema: { params: MemberParams } }, async (request) => {
    return (await loadMember(ctx, request, 'read')).member;
  });
}
