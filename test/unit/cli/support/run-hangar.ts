// Runs the compiled `hangar` (bin/hangar.js → dist/, built by `npm run build`) as a user's shell would.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HANGAR = fileURLToPath(new URL('../../../../bin/hangar.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `hangar …args` with only the given environment (plus PATH/HOME), never the caller's DRONE_* variables. */
export function hangar(args: string[], env: Record<string, string>, cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [HANGAR, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env }, cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
