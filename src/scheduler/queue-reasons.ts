// Why a stage waits (the cluster page): the first of the queue's own rules that holds it back — approval,
// its dependencies, a paused queue, its pipeline's concurrency limit, the repository's throttle, no runner
// whose filter matches — in the order the dispatcher applies them, or that it is being handed out now.

import type { IncompleteStage } from '../core/store.js';
import type { Filter, Stage } from '../core/types.js';
import { filterMatches } from './filter.js';

export type WaitReason = 'approval' | 'dependencies' | 'paused' | 'concurrency' | 'throttle' | 'no-runner' | 'starting' | 'dispatching' | 'running';

export interface ExplainedStage extends IncompleteStage {
  reason: WaitReason;
  /** The reason in words, e.g. "no runner matches linux/arm64 with labels gpu=true". */
  detail: string;
}

export interface QueueFacts {
  paused: boolean;
  /** The filters of every runner request parked on a live server. */
  parked: Filter[];
}

/** Explains each stage of the unfinished list (oldest first, as the queue orders them). */
export function explainQueue(stages: IncompleteStage[], facts: QueueFacts): ExplainedStage[] {
  // As Drone counts them: a pipeline's running stages and its older pending ones; a repository's older
  // pending or running ones.
  const ofPipeline = count(stages.filter(({ stage }) => stage.status === 'running').map(({ stage }) => pipelineKey(stage)));
  const ofRepo = new Map<number, number>();
  return stages.map((item) => {
    const { stage } = item;
    const explained = { ...item, ...explain(stage, facts, ofPipeline.get(pipelineKey(stage)) ?? 0, ofRepo.get(stage.repo_id) ?? 0) };
    if (stage.status === 'pending') ofPipeline.set(pipelineKey(stage), (ofPipeline.get(pipelineKey(stage)) ?? 0) + 1);
    if (stage.status === 'pending' || stage.status === 'running') ofRepo.set(stage.repo_id, (ofRepo.get(stage.repo_id) ?? 0) + 1);
    return explained;
  });
}

function explain(stage: Stage, facts: QueueFacts, busyOfPipeline: number, olderOfRepo: number): { reason: WaitReason; detail: string } {
  if (stage.status === 'running') return { reason: 'running', detail: `running on ${stage.machine || 'a runner'}` };
  if (stage.status === 'blocked') return { reason: 'approval', detail: 'waiting for a repository admin to approve it' };
  if (stage.status === 'waiting_on_dependencies') return { reason: 'dependencies', detail: `waiting for ${(stage.depends_on ?? []).join(', ') || 'its dependencies'}` };
  if (stage.machine) return { reason: 'starting', detail: `accepted by ${stage.machine}` };
  if (facts.paused) return { reason: 'paused', detail: 'the queue is paused' };
  if (stage.limit && busyOfPipeline >= stage.limit) return { reason: 'concurrency', detail: `pipeline ${stage.name} runs at most ${stage.limit} at once` };
  if (stage.throttle && olderOfRepo >= stage.throttle) return { reason: 'throttle', detail: `the repository runs at most ${stage.throttle} stages at once` };
  if (!facts.parked.some((filter) => filterMatches(filter, stage))) return { reason: 'no-runner', detail: `no idle runner matches ${platformOf(stage)}` };
  return { reason: 'dispatching', detail: 'being handed to a runner' };
}

function count(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function pipelineKey(stage: Stage): string {
  return `${stage.repo_id}/${stage.name}`;
}

function platformOf(stage: Stage): string {
  const labels = Object.entries(stage.labels ?? {}).map(([key, value]) => `${key}=${value}`);
  const type = `type ${stage.type || 'docker'}, ${stage.os || 'linux'}/${stage.arch || 'amd64'}`;
  return labels.length > 0 ? `${type} with labels ${labels.join(', ')}` : type;
}
