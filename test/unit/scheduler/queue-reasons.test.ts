// Why a stage waits, by the queue's own rules: a pipeline's concurrency limit and a repository's throttle
// count as Drone counts them (running stages, and older pending ones), and a stage no parked runner
// matches says which platform it needs.

import { describe, expect, it } from 'vitest';
import type { IncompleteStage } from '../../../src/core/store.js';
import type { Build, Repo, Stage } from '../../../src/core/types.js';
import { explainQueue } from '../../../src/scheduler/queue-reasons.js';

const LINUX_EXEC = { kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '' };
let nextId = 1;

function item(fields: Partial<Stage>): IncompleteStage {
  const stage = { id: nextId++, repo_id: 1, build_id: 1, number: 1, name: 'test', type: 'exec', status: 'pending', os: 'linux', arch: 'amd64', ...fields } as Stage;
  return { repo: { id: stage.repo_id, slug: `o/r${stage.repo_id}` } as Repo, build: { id: stage.build_id, number: stage.build_id } as Build, stage };
}

describe('explainQueue', () => {
  it('holds a pipeline at its concurrency limit, counting running and older pending stages', () => {
    const explained = explainQueue([item({ status: 'running', limit: 2, machine: 'a' }), item({ limit: 2 }), item({ limit: 2 })], { paused: false, parked: [LINUX_EXEC] });
    expect(explained.map((entry) => entry.reason)).toEqual(['running', 'dispatching', 'concurrency']);
    expect(explained[2].detail).toBe('pipeline test runs at most 2 at once');
  });

  it('holds a repository at its throttle, whatever the pipeline', () => {
    const explained = explainQueue([item({ name: 'a', throttle: 1 }), item({ name: 'b', throttle: 1 }), item({ name: 'c', repo_id: 2, throttle: 1 })], { paused: false, parked: [LINUX_EXEC] });
    expect(explained.map((entry) => entry.reason)).toEqual(['dispatching', 'throttle', 'dispatching']);
  });

  it('names the platform no parked runner offers', () => {
    const [entry] = explainQueue([item({ arch: 'arm64' })], { paused: false, parked: [LINUX_EXEC] });
    expect(entry).toMatchObject({ reason: 'no-runner', detail: 'no idle runner matches type exec, linux/arm64' });
  });
});
