// `hangar runner exec` as a whole against a Drone-like server: it pings until the server answers, asks
// for exec stages with its platform and labels, waits like runner-go between empty polls against a Drone
// server and re-polls at once against Hangar, and stops gracefully (running stages finish, or are
// cancelled after the grace period).

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRunnerConfig } from '../../../src/config/runner.js';
import { type StartedRunner, startExecRunner } from '../../../src/runner/start.js';
import { isRunning } from '../../support/process-state.js';
import { FakeDrone, RPC_SECRET, stageDetails } from './fake-drone.js';
import { shmTempDir } from '../../support/shm.js';

let drone: FakeDrone;
let runner: StartedRunner | undefined;
let root: string;

beforeEach(async () => {
  root = await shmTempDir('hangar-start-');
});
afterEach(async () => {
  await runner?.stop(0);
  runner = undefined;
  await drone?.close();
  await rm(root, { recursive: true, force: true });
});

async function start(options: ConstructorParameters<typeof FakeDrone>[0], env: Record<string, string> = {}): Promise<StartedRunner> {
  drone = new FakeDrone({ holdMs: 100, ...options });
  const address = await drone.listen();
  const config = loadRunnerConfig({
    DRONE_RPC_HOST: new URL(address).host,
    DRONE_RPC_SECRET: RPC_SECRET,
    DRONE_RUNNER_CAPACITY: '1',
    DRONE_RUNNER_ROOT: root,
    DRONE_RUNNER_NAME: 'exec-1',
    HANGAR_LOG_FLUSH: '50ms',
    ...env,
  });
  runner = startExecRunner(config, pino({ level: 'silent' }));
  await runner.ready;
  return runner;
}

const polls = () => drone.calls.filter((c) => c.method === 'POST' && c.path === '/rpc/v2/stage');
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const header = 'kind: pipeline\ntype: exec\nname: default\nclone:\n  disable: true\n';

describe('exec runner process', () => {
  it('pings until the server answers, then asks for exec stages of its platform and labels', async () => {
    await start({ failPings: 1 }, { DRONE_RUNNER_LABELS: 'zone:eu', DRONE_PLATFORM_OS: 'linux', DRONE_PLATFORM_ARCH: 'arm64', HANGAR_RUNNER_MODE: 'hangar' });
    const pings = drone.calls.filter((c) => c.path === '/rpc/v2/ping');
    expect(pings).toHaveLength(2);
    while (polls().length === 0) await delay(10);
    expect(polls()[0].body).toEqual({ kind: 'pipeline', type: 'exec', os: 'linux', arch: 'arm64', variant: '', kernel: '', labels: { zone: 'eu' } });
    expect(drone.protocolErrors).toEqual([]);
  });

  it('against a Drone server, waits like runner-go before polling again after an empty poll', async () => {
    await start({ versionSource: 'https://github.com/drone/drone.git' });
    await delay(700);
    // One poll held 100 ms, answered 204, then runner-go's 10 s pause.
    expect(polls()).toHaveLength(1);
  });

  it('against a Hangar server, polls again at once after an empty poll', async () => {
    await start({ versionSource: 'https://github.com/hangar-ci/hangar' });
    await delay(700);
    expect(polls().length).toBeGreaterThanOrEqual(4);
  });

  it('keeps runner-go timing against Hangar when HANGAR_RUNNER_MODE=drone', async () => {
    await start({ versionSource: 'https://github.com/hangar-ci/hangar' }, { HANGAR_RUNNER_MODE: 'drone' });
    await delay(700);
    expect(polls()).toHaveLength(1);
  });

  it('runs an offered stage and, when stopped, lets it finish before returning', async () => {
    const started = await start({}, { HANGAR_RUNNER_MODE: 'hangar' });
    const details = stageDetails(`${header}steps:\n- name: slow\n  commands: [sleep 1, echo finished]\n`);
    drone.offer(details);
    await drone.stepReported('slow', 'running');
    await started.stop(10_000);
    runner = undefined;
    const final = await drone.finalStage(details.stage.id);
    expect(final.status).toBe('success');
    expect(final.machine).toBe('exec-1');
  });

  it('when stopped, cancels a stage still running after the grace period and kills its processes', async () => {
    const started = await start({}, { HANGAR_RUNNER_MODE: 'hangar' });
    const pidFile = join(root, 'sleep.pid');
    const details = stageDetails(`${header}steps:\n- name: forever\n  commands: ['sleep 600 & echo $! > ${pidFile}; wait']\n`);
    drone.offer(details);
    await drone.stepReported('forever', 'running');
    let pid = 0;
    while (!pid) {
      pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
      await delay(20);
    }
    const stoppedAt = Date.now();
    await started.stop(200);
    runner = undefined;
    expect(Date.now() - stoppedAt).toBeLessThan(3000);
    expect(isRunning(pid)).toBe(false);
    expect((await drone.finalStage(details.stage.id)).status).toBe('killed');
  });
});
