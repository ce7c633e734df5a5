// GET /api/system/cluster (system admin; Hangar's own): the cluster as every server sees it — the servers
// alive (from their heartbeats; the answering server's own figures are current) with their parked runner
// requests and live viewers; the runners, as machines running stages and as filters waiting for work; the
// queue with, for each stage not running, why it waits.

import type { IncompleteStage, ServerHeartbeat } from '../../../core/store.js';
import { explainQueue } from '../../../scheduler/queue-reasons.js';
import { ALIVE_WITHIN_MS } from '../../cluster-heartbeat.js';
import type { ServerContext } from '../../context.js';
import { requireAdmin } from '../access.js';
import type { ApiApp } from '../schemas.js';

const STAGE_LIMIT = 500;

export function registerClusterOverview(app: ApiApp, ctx: ServerContext): void {
  app.get('/system/cluster', async (request) => {
    requireAdmin(request);
    const [seen, stages, paused] = await Promise.all([ctx.store.cluster.servers(ALIVE_WITHIN_MS), ctx.store.cluster.unfinishedStages(STAGE_LIMIT), ctx.store.queue.paused()]);
    const self = ctx.heartbeat.current();
    const servers = [{ ...self, seenAgoMs: 0 }, ...seen.filter((server) => server.id !== self.id)];
    const parked = servers.flatMap((server) => server.state.parked.map((entry) => entry.filter));
    const explained = explainQueue(stages, { paused, parked });
    return {
      paused,
      servers: servers.map((server) => serverView(server, server.id === self.id)),
      runners: runnersOf(stages),
      waiting: servers.flatMap((server) => server.state.parked.map((entry) => ({ server: server.address, ...entry }))),
      queue: explained
        .filter(({ stage }) => stage.status !== 'running')
        .map(({ repo, build, stage, reason, detail }) => ({ ...place({ repo, build, stage }), status: stage.status, created: stage.created, reason, detail })),
    };
  });
}

function serverView(server: ServerHeartbeat & { seenAgoMs: number }, answering: boolean) {
  const { parkedPolls, heldWatches, eventViewers, draining } = server.state;
  return { id: server.id, address: server.address, version: server.version, started: server.started, seen_ago_ms: server.seenAgoMs, answering, parked_polls: parkedPolls, held_watches: heldWatches, event_viewers: eventViewers, draining };
}

/** The machines running stages now, with their platform and what they run. */
function runnersOf(stages: IncompleteStage[]) {
  const machines = new Map<string, { name: string; os: string; arch: string; labels: Record<string, string>; stages: ReturnType<typeof place>[] }>();
  for (const item of stages) {
    const { stage } = item;
    if (stage.status !== 'running' || !stage.machine) continue;
    const machine = machines.get(stage.machine) ?? { name: stage.machine, os: stage.os, arch: stage.arch, labels: stage.labels ?? {}, stages: [] };
    machine.stages.push(place(item));
    machines.set(stage.machine, machine);
  }
  return [...machines.values()];
}

function place({ repo, build, stage }: IncompleteStage) {
  return { repo: repo.slug, build: build.number, stage: stage.number, name: stage.name };
}
