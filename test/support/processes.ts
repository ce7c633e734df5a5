// Real `hangar` processes for end-to-end tests: the compiled CLI (bin/hangar.js, built by `pretest`),
// started with an environment, waited for through its own log, killable with any signal.

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until } from './wait.js';

const HANGAR = fileURLToPath(new URL('../../bin/hangar.js', import.meta.url));

export interface HangarProcess {
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves when a line of output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends a signal and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Every process a test started: none may outlive the test run, even one that failed half way. */
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `HANGAR_NODE_FLAGS` in `env` (e.g. `--cpu-prof`) go to node itself: NODE_OPTIONS refuses some. */
export function spawnHangar(args: string[], env: Record<string, string>): HangarProcess {
  const nodeFlags = env.HANGAR_NODE_FLAGS ? env.HANGAR_NODE_FLAGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeFlags, HANGAR, ...args], {
    // HANGAR_TEST_RUN_ROOT marks the process as this test run's (temp-root.ts kills what outlives the run).
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', HANGAR_TEST_RUN_ROOT: process.env.HANGAR_TEST_RUN_ROOT ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    async waitFor(pattern, timeoutMs = 30_000) {
      return until(async () => {
        if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}):\n${output}`);
        return output.match(pattern) ?? undefined;
      }, timeoutMs);
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface ServerProcess extends HangarProcess {
  url: string;
}

/** Starts `hangar server` on a free port and waits until it listens. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const server = spawnHangar(['server', '--env-file', '/dev/null'], { DRONE_SERVER_PORT: '127.0.0.1:0', ...env });
  const match = await server.waitFor(/"url":"(http:\/\/[^"]+)".*"msg":"hangar server listening"/);
  return { ...server, url: match[1] };
}

/** Starts `hangar runner exec` against `serverUrl` and waits until it polls. */
export async function startRunnerProcess(serverUrl: string, env: Record<string, string>): Promise<HangarProcess> {
  const runner = spawnHangar(['runner', 'exec', '/dev/null'], {
    DRONE_RPC_PROTO: 'http',
    DRONE_RPC_HOST: new URL(serverUrl).host,
    ...env,
  });
  await runner.waitFor(/exec runner polling/);
  return runner;
}
