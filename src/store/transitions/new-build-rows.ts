// The rows a new build starts with, shared by create-build.ts's transaction and its single statement on
// PostgreSQL (postgres/create-build.ts).

import type { CreateBuildInput } from '../../core/store.js';
import { type BuildRow, buildToRow, stageToRow } from '../rows.js';

/** The build row as created: pending, or error (already finished) when the configuration failed. */
export function newBuildRow(input: CreateBuildInput, number: number, now: number) {
  const failed = input.error !== undefined;
  return buildToRow({
    ...input.build,
    repo_id: input.repoId,
    number,
    status: failed ? 'error' : 'pending',
    error: input.error ?? '',
    timestamp: 0,
    started: failed ? now : 0,
    finished: failed ? now : 0,
    created: now,
    updated: now,
    version: 1,
  });
}

export function newStageRows(input: CreateBuildInput, buildId: number, throttle: number, now: number) {
  return input.stages.map((stage, index) =>
    stageToRow({
      repo_id: input.repoId,
      build_id: buildId,
      number: index + 1,
      name: stage.name,
      kind: stage.kind,
      type: stage.type,
      status: stage.status,
      errignore: false,
      exit_code: 0,
      os: stage.os,
      arch: stage.arch,
      variant: stage.variant,
      kernel: stage.kernel,
      limit: stage.limit,
      throttle,
      started: 0,
      stopped: 0,
      created: now,
      updated: now,
      version: 1,
      on_success: stage.on_success,
      on_failure: stage.on_failure,
      depends_on: stage.depends_on,
      labels: stage.labels,
    }),
  );
}

/** Drone's "latest build" index: per branch (push), pull request (pull_request), deploy target (promote, rollback). */
export function latestEntryOf(build: Pick<BuildRow, 'build_event' | 'build_target' | 'build_ref' | 'build_deploy'>): { type: string; name: string } | undefined {
  const entry =
    build.build_event === 'push'
      ? { type: 'branch', name: build.build_target }
      : build.build_event === 'pull_request'
        ? { type: 'pull_request', name: /\d+/.exec(build.build_ref)?.[0] ?? '' }
        : build.build_event === 'promote' || build.build_event === 'rollback'
          ? { type: 'deployment', name: build.build_deploy }
          : undefined;
  return entry && entry.name ? entry : undefined;
}
