// A build taken by a simulated runner and reported running with one step: what cancel and failover
// scenarios act on.

import type { Stage } from '../../src/core/types.js';
import type { RpcClient } from '../../src/runner/client.js';
import { createBuild } from './builds.js';
import type { BenchSetup } from './setup.js';
import { EXEC_FILTER, reportRunning } from './sim-runner.js';

export interface RunningBuild {
  id: number;
  number: number;
  stage: Stage;
}

/** Creates a build on server A and takes it with `client` (no other build may be queued). */
export async function runningBuild(setup: BenchSetup, client: RpcClient, steps = 1): Promise<RunningBuild> {
  const build = await createBuild(setup);
  const signal = new AbortController().signal;
  const offered = await client.request(EXEC_FILTER, signal);
  if (!offered || offered.build_id !== build.id) throw new Error(`the runner was offered another build than #${build.number}`);
  const accepted = await client.accept(offered.id, 'bench', signal);
  const stepNames = Array.from({ length: steps }, (_, i) => `step-${i + 1}`);
  const stage = await reportRunning(client, accepted, stepNames, signal);
  return { id: build.id, number: build.number, stage };
}
