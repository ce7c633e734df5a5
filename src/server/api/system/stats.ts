// GET /api/system/stats (system admin): Drone's statistics document (research/drone-server.md §5.2).
// Counts come from the database, so every server of a cluster answers the same; `events.subscribers` and
// `streams` are this server's live viewers and log streams. Incomplete stages are counted in Drone's eight
// platform buckets (linux/amd64 stages too, which Drone's loop skips by mistake).

import type { BuildActivity } from '../../../core/store.js';
import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import type { ApiApp } from '../schemas.js';

export interface Platform {
  subscribers: number;
  os: string;
  arch: string;
  variant: string;
  kernel: string;
  pending: number;
  running: number;
}

export function registerSystemStats(app: ApiApp, ctx: ServerContext): void {
  app.get('/system/stats', async (request) => {
    requireAdmin(request);
    const [users, repos, activity] = await Promise.all([ctx.store.users.count(), ctx.store.repos.countActive(), ctx.store.builds.activity()]);
    return {
      users: { total: users },
      repos: { active: repos },
      builds: { pending: activity.pendingBuilds, running: activity.runningBuilds, total: activity.total },
      pipelines: platformBuckets(activity.stages),
      events: { subscribers: ctx.buildEvents.size() },
      streams: {},
      watchers: null,
    };
  });
}

function platform(os: string, arch: string, variant = '', kernel = ''): Platform {
  return { subscribers: 0, os, arch, variant, kernel, pending: 0, running: 0 };
}

/** Drone's fixed list, in Drone's order. */
function platformBuckets(stages: BuildActivity['stages']): Platform[] {
  const buckets = [
    platform('linux', 'arm', 'v6'),
    platform('linux', 'arm', 'v7'),
    platform('linux', 'arm64', 'v8'),
    platform('linux', 'arm', 'v9'),
    platform('linux', 'amd64'),
    platform('windows', 'arm64', '', '1709'),
    platform('windows', 'arm64', '', '1803'),
    platform('windows', 'arm64', '', '1809'),
  ];
  for (const stage of stages) buckets[bucketOf(stage)][stage.status] += stage.count;
  return buckets;
}

/** The bucket Drone counts a stage in: by kernel on Windows, by variant on ARM, amd64 otherwise. */
function bucketOf(stage: { os: string; arch: string; variant: string; kernel: string }): number {
  if (stage.os === 'windows') return stage.kernel === '1709' ? 5 : stage.kernel === '1803' ? 6 : 7;
  if (stage.arch === 'arm') return stage.variant === 'v6' ? 0 : stage.variant === 'v9' ? 3 : 1;
  if (stage.arch === 'arm64') return 2;
  return 4;
}
