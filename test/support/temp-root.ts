// vitest globalSetup: every temporary file and directory of a test run (os.tmpdir()) goes under one
// directory of its own, removed when the run ends, with any daemon still running from it — a test that
// fails half way leaves nothing behind.
// Readable by others: the throwaway PostgreSQL runs as the postgres user and keeps its data in there.

import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Daemons started under `root` (Redis, HAProxy, PostgreSQL write their pid files there): killed. */
function killDaemons(root: string): void {
  const pidFiles = (readdirSync(root, { recursive: true, withFileTypes: true }) as Array<{ name: string; parentPath?: string; path?: string; isFile(): boolean }>)
    .filter((entry) => entry.isFile() && (entry.name.endsWith('.pid') || entry.name === 'postmaster.pid'))
    .map((entry) => join(entry.parentPath ?? entry.path ?? root, entry.name));
  for (const file of pidFiles) {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
    if (!Number.isInteger(pid) || pid <= 1) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'hangar-test-run-'));
  chmodSync(root, 0o755);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    try {
      killDaemons(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}
