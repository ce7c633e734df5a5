// Running the git executable: arguments never pass through a shell, prompts are off, output is bounded.

import { execFile } from 'node:child_process';

export interface GitResult {
  stdout: Buffer;
  stderr: string;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export function git(args: string[], options: { cwd?: string; timeoutMs?: number; maxBytes?: number } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        encoding: 'buffer',
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: options.maxBytes ?? 64 * 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        const errText = stderr.toString('utf8');
        if (error) {
          const code = typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null;
          reject(new GitError(`git ${args[0]}: ${errText.trim() || error.message}`, code, errText));
          return;
        }
        resolve({ stdout, stderr: errText });
      },
    );
  });
}
