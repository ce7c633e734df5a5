// The exec engine (research/drone-runner.md §6.12): the stage's root directory and files, then each step
// as a host process. Every step runs in its own process group, so cancel and timeout stop the whole tree
// (a `sleep 600` started by the step's shell included): SIGTERM, then SIGKILL after a short grace. When a
// step's main process exits, whatever it left running in its group is stopped too.

import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ExecSpec, ExecStep, SpecFile } from '../../../pipeline/spec.js';
import type { StepResult } from '../../engine.js';

export type { StepResult } from '../../engine.js';

export interface ExecEngineOptions {
  /** Between SIGTERM and SIGKILL. */
  killGraceMs?: number;
}

export class ExecEngine {
  constructor(private readonly options: ExecEngineOptions = {}) {}

  /** Creates the root, its directories and files, and the links. */
  async setup(spec: ExecSpec): Promise<void> {
    await fs.mkdir(spec.root, { recursive: true, mode: 0o700 });
    await writeFiles(spec.files);
    for (const link of spec.links ?? []) {
      await fs.mkdir(path.dirname(link.target), { recursive: true });
      await fs.symlink(link.source, link.target).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
    }
  }

  /** Runs one step; `output` receives its stdout and stderr as text. */
  async run(step: ExecStep, output: (text: string) => void, signal: AbortSignal): Promise<StepResult> {
    await writeFiles(step.files ?? []);
    await fs.mkdir(step.working_dir, { recursive: true }).catch(() => undefined);
    if (signal.aborted) return { exitCode: 137, killed: true };
    const child = spawn(step.command, step.args, {
      cwd: step.working_dir,
      env: stepEnvironment(step),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', output);
    child.stderr.on('data', output);

    let killed = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      killed = true;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), this.options.killGraceMs ?? 2000);
    };
    signal.addEventListener('abort', stop, { once: true });
    try {
      const exitCode = await new Promise<number>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code, sig) => resolve(code ?? (sig ? 128 + signalNumber(sig) : 1)));
      });
      // Anything the step left running in its group goes with it; its output pipes then close.
      signalGroup(child.pid, 'SIGKILL');
      // A process that left the group (setsid) could hold the pipes open for ever: stop reading after a while.
      const drained = await Promise.race([Promise.all([ended(child.stdout), ended(child.stderr)]).then(() => true), delay(2000).then(() => false)]);
      if (!drained) {
        child.stdout.destroy();
        child.stderr.destroy();
      }
      return { exitCode: killed ? 137 : exitCode, killed };
    } catch (err) {
      throw new Error(`cannot run ${step.command}: ${(err as Error).message}`);
    } finally {
      signal.removeEventListener('abort', stop);
      if (killTimer) clearTimeout(killTimer);
    }
  }

  /** Removes the stage's root. */
  async destroy(spec: Pick<ExecSpec, 'root'>): Promise<void> {
    await fs.rm(spec.root, { recursive: true, force: true });
  }
}

/** The step's variables sorted by name (KEY=VALUE order, as drone-runner-exec sorts them), then its secrets. */
function stepEnvironment(step: ExecStep): Record<string, string> {
  const sorted = Object.entries(step.environment ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const env: Record<string, string> = Object.fromEntries(sorted);
  for (const secret of step.secrets) {
    // Appended last, so a secret wins over a variable of the same name.
    delete env[secret.env];
    env[secret.env] = secret.data;
  }
  return env;
}

async function writeFiles(files: SpecFile[]): Promise<void> {
  for (const file of files) {
    if (file.is_dir) {
      await fs.mkdir(file.path, { recursive: true, mode: file.mode });
    } else {
      await fs.mkdir(path.dirname(file.path), { recursive: true });
      await fs.writeFile(file.path, Buffer.from(file.data ?? '', 'base64'), { mode: file.mode });
    }
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group is gone already */
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGHUP: 1 } as Record<string, number>)[signal] ?? 1;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function ended(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve) => {
    if ((stream as { readableEnded?: boolean }).readableEnded) return resolve();
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}
