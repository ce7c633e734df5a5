// GET /api/user/builds and /api/user/builds/recent: the 25 newest builds across the current user's
// repositories, each as its repository with the build embedded as `build` (Drone's ListRecent).

import type { ServerContext } from '../../context.js';
import { requireUser } from '../access.js';
import type { ApiApp } from '../schemas.js';

const RECENT_BUILDS = 25;

export function registerRecentBuilds(app: ApiApp, ctx: ServerContext): void {
  for (const path of ['/user/builds', '/user/builds/recent']) {
    app.get(path, async (request) => ctx.store.repos.listRecentBuilds(requireUser(request).id, RECENT_BUILDS));
  }
}
