// A stage from poll to final report, as a Drone server sees it: the runner accepts, reports the compiled
// steps, gets their ids, runs `type: exec` pipelines as processes, streams and uploads masked logs, and
// honours depends_on, failure: ignore, exit code 78, DRONE_LIMIT_*, and cancel through the watch.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StageDetails } from '../../../src/core/types.js';
import { RpcClient } from '../../../src/runner/client.js';
import { StageRunner, type StageRunnerConfig } from '../../../src/runner/stage-runner.js';
import { isRunning } from '../../support/process-state.js';
import { FakeDrone, RPC_SECRET, stageDetails } from './fake-drone.js';
import { shmTempDir } from '../../support/shm.js';

let drone: FakeDrone;
let client: RpcClient;
let root: string;

beforeEach(async () => {
  root = await shmTempDir('hangar-stage-');
});
afterEach(async () => {
  client?.close();
  await drone?.close();
  await rm(root, { recursive: true, force: true });
});

async function setup(options: ConstructorParameters<typeof FakeDrone>[0] = {}, config: Partial<StageRunnerConfig> = {}) {
  drone = new FakeDrone(options);
  const address = await drone.listen();
  client = new RpcClient({ address, secret: RPC_SECRET, retry: { pollSleepMs: 0, retryMinMs: 10, retryMaxMs: 50 } });
  const runner = new StageRunner(
    client,
    { name: 'runner-1', root: join(root, 'stages'), maxProcs: 0, environ: {}, symlinks: {}, limits: { repos: [], events: [], trusted: false }, logFlushMs: 50, ...config },
    pino({ level: 'silent' }),
  );
  return runner;
}

/** Offers the stage, lets the runner take it from a poll, and runs it to its end. */
async function runOffered(runner: StageRunner, details: StageDetails, shutdown = new AbortController().signal) {
  drone.offer(details);
  const offered = await client.request({ kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '' }, new AbortController().signal);
  if (!offered) throw new Error('no stage offered');
  await runner.run(offered, shutdown);
  return drone.finalStage(details.stage.id);
}

function uploadedText(stepName: string): string {
  const step = drone.stepNamed(stepName);
  if (!step) throw new Error(`no step ${stepName}`);
  return (drone.uploads.get(step.id) ?? []).map((line) => line.out).join('');
}

const header = 'kind: pipeline\ntype: exec\nname: default\nclone:\n  disable: true\n';

describe('stage runner against a Drone server', () => {
  it('reports the compiled steps, runs them in depends_on order and reports each with its server id', async () => {
    const runner = await setup();
    const yaml = `${header}steps:
- name: greet
  environment:
    TOKEN:
      from_secret: token
  commands:
  - echo "hello from $DRONE_STEP_NAME on $DRONE_BRANCH"
  - echo "token=$TOKEN"
- name: flaky
  failure: ignore
  depends_on: [greet]
  commands:
  - exit 3
- name: after
  depends_on: [flaky]
  commands:
  - echo "build is $DRONE_BUILD_STATUS"
- name: only-on-tags
  depends_on: [after]
  when:
    event: tag
  commands:
  - echo never
`;
    const details = stageDetails(yaml, { secrets: [{ name: 'token', data: 'tok-s3cr3t-value' }] });
    const final = await runOffered(runner, details);

    expect(drone.protocolErrors).toEqual([]);
    expect(drone.calls[1]).toMatchObject({ method: 'POST', path: `/rpc/v2/stage/${details.stage.id}?machine=runner-1` });
    // The first stage PUT carries the reported steps: those whose `when` matches, numbered from 1.
    const running = drone.stageUpdates[0];
    expect(running.status).toBe('running');
    expect(running.steps?.map((s) => [s.number, s.name, s.status, s.step_id])).toEqual([
      [1, 'greet', 'pending', details.stage.id],
      [2, 'flaky', 'pending', details.stage.id],
      [3, 'after', 'pending', details.stage.id],
    ]);
    expect(final.status).toBe('success');
    expect(final.steps?.map((s) => [s.name, s.status, s.exit_code])).toEqual([
      ['greet', 'success', 0],
      ['flaky', 'failure', 3],
      ['after', 'success', 0],
    ]);
    // Step PUTs use the ids the server gave, and come in dependency order.
    const stepPuts = drone.calls.filter((c) => c.method === 'PUT' && c.path.startsWith('/rpc/v2/step/'));
    const startOrder = stepPuts.map((c) => c.body as { name: string; status: string }).filter((s) => s.status === 'running').map((s) => s.name);
    expect(startOrder).toEqual(['greet', 'flaky', 'after']);
    for (const call of stepPuts) expect(call.path).toBe(`/rpc/v2/step/${drone.stepNamed((call.body as { name: string }).name)?.id}`);

    // Drone's scripts echo each command before running it.
    expect(uploadedText('greet')).toBe('+ echo "hello from $DRONE_STEP_NAME on $DRONE_BRANCH"\nhello from greet on main\n+ echo "token=$TOKEN"\ntoken=******\n');
    expect(uploadedText('after')).toBe('+ echo "build is $DRONE_BUILD_STATUS"\nbuild is success\n');
    expect(JSON.stringify([...drone.batches.values()])).not.toContain('tok-s3cr3t');
    const greetBatches = drone.batches.get(drone.stepNamed('greet')?.id ?? 0)?.flat() ?? [];
    expect(greetBatches.map((l) => l.pos)).toEqual([0, 1, 2, 3]);
  });

  it('ends the stage early as a success when a step exits 78, skipping what was pending', async () => {
    const runner = await setup();
    const yaml = `${header}steps:
- name: check
  commands: [exit 78]
- name: build
  depends_on: [check]
  commands: [echo building]
`;
    const final = await runOffered(runner, stageDetails(yaml));
    expect(final.status).toBe('success');
    expect(final.steps?.map((s) => [s.name, s.status])).toEqual([
      ['check', 'success'],
      ['build', 'skipped'],
    ]);
    expect(uploadedText('build')).toBe('');
  });

  it('fails the stage when a step fails, runs on-failure steps and skips the rest', async () => {
    const runner = await setup();
    const yaml = `${header}steps:
- name: test
  commands: [echo testing, exit 1]
- name: deploy
  depends_on: [test]
  commands: [echo deploying]
- name: notify
  depends_on: [deploy]
  when:
    status: [failure]
  commands: [echo "failed steps $DRONE_FAILED_STEPS"]
`;
    const final = await runOffered(runner, stageDetails(yaml));
    expect(final.status).toBe('failure');
    expect(final.steps?.map((s) => [s.name, s.status])).toEqual([
      ['test', 'failure'],
      ['deploy', 'skipped'],
      ['notify', 'success'],
    ]);
    expect(uploadedText('notify')).toBe('+ echo "failed steps $DRONE_FAILED_STEPS"\nfailed steps test\n');
  });

  it('stops the running process tree within 2 s when the watch reports a cancel, and ends killed', async () => {
    const runner = await setup();
    const pidFile = join(root, 'sleep.pid');
    const yaml = `${header}steps:
- name: long
  commands:
  - sleep 600 &
  - echo $! > ${pidFile}
  - wait
- name: after
  depends_on: [long]
  commands: [echo never]
`;
    const details = stageDetails(yaml);
    drone.offer(details);
    const offered = await client.request({ kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '' }, new AbortController().signal);
    const running = runner.run(offered ?? details.stage, new AbortController().signal);
    await drone.stepReported('long', 'running');
    const pid = await readPid(pidFile);
    expect(isRunning(pid)).toBe(true);

    const cancelledAt = Date.now();
    drone.cancel(details.build.id);
    await running;
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
    expect(isRunning(pid)).toBe(false);
    const final = await drone.finalStage(details.stage.id);
    expect(final.status).toBe('killed');
    expect(final.steps?.map((s) => [s.name, s.status])).toEqual([
      ['long', 'killed'],
      ['after', 'skipped'],
    ]);
  });

  it('drops a stage whose accept another runner won (409), without any other call', async () => {
    const runner = await setup({ refuseAccept: true });
    const details = stageDetails(`${header}steps:\n- name: a\n  commands: [echo a]\n`);
    drone.offer(details);
    const offered = await client.request({ kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '' }, new AbortController().signal);
    await runner.run(offered ?? details.stage, new AbortController().signal);
    expect(drone.calls.map((c) => c.method + ' ' + c.path)).toEqual(['POST /rpc/v2/stage', `POST /rpc/v2/stage/${details.stage.id}?machine=runner-1`]);
  });

  it('refuses a repository outside DRONE_LIMIT_REPOS with an error stage and runs nothing', async () => {
    const marker = join(root, 'ran');
    const runner = await setup({}, { limits: { repos: ['trusted/*'], events: [], trusted: false } });
    const final = await runOffered(runner, stageDetails(`${header}steps:\n- name: a\n  commands: [touch ${marker}]\n`));
    expect(final).toMatchObject({ status: 'error', error: 'insufficient permission to run the pipeline', exit_code: 255 });
    await expect(readFile(marker)).rejects.toThrow();
  });

  it('fails the stage with the compiler message when no exec pipeline has the stage name', async () => {
    const runner = await setup();
    const final = await runOffered(runner, stageDetails(`${header}steps:\n- name: a\n  commands: [echo a]\n`, { stage: { name: 'other' } }));
    expect(final.status).toBe('error');
    expect(final.error).toMatch(/other/);
  });

  it('removes the stage directory when the stage ends', async () => {
    const runner = await setup();
    await runOffered(runner, stageDetails(`${header}steps:\n- name: a\n  commands: [pwd, echo data > file.txt]\n`));
    expect(uploadedText('a')).toMatch(/^\+ pwd\n.*\/drone\/src\n/);
    expect(await readdir(join(root, 'stages'))).toEqual([]);
  });

  it('clones the repository at the build commit before the steps run', async () => {
    const runner = await setup();
    const { remote, sha } = gitRemote(join(root, 'remote'));
    const yaml = 'kind: pipeline\ntype: exec\nname: default\nsteps:\n- name: show\n  commands: [cat README, git rev-parse HEAD]\n';
    const final = await runOffered(runner, stageDetails(yaml, { repo: { git_http_url: remote }, build: { after: sha, target: 'main', ref: 'refs/heads/main' } }));
    expect(final.steps?.map((s) => [s.name, s.status])).toEqual([
      ['clone', 'success'],
      ['show', 'success'],
    ]);
    expect(uploadedText('show')).toBe(`+ cat README\nsecond version\n+ git rev-parse HEAD\n${sha}\n`);
  });
});

async function readPid(file: string): Promise<number> {
  for (;;) {
    const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (pid > 0) return pid;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A bare repository with two commits on main; the second is the build's commit. */
function gitRemote(dir: string): { remote: string; sha: string } {
  const work = `${dir}-work`;
  const identity = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: work, env: { ...process.env, ...identity } }).toString().trim();
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  execFileSync('git', ['init', '-q', '-b', 'main', work]);
  writeFileSync(join(work, 'README'), 'first version\n');
  git('add', 'README');
  git('commit', '-q', '-m', 'one');
  writeFileSync(join(work, 'README'), 'second version\n');
  git('commit', '-q', '-am', 'two');
  git('push', '-q', dir, 'main');
  return { remote: dir, sha: git('rev-parse', 'HEAD') };
}
