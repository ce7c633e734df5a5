// vitest globalSetup: every temporary file and directory of a test run (os.tmpdir()) goes under one
// directory of its own, removed when the run ends, with any daemon still running from it — a test that
// fails half way leaves nothing behind.
// Every project lists this setup; they all share the first project's directory (nesting them would make
// paths too long for Unix sockets), and the last teardown removes it, whatever order vitest tears down in.
// Readable by others: the throwaway PostgreSQL runs as the postgres user and keeps its data in there.

import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT_VARIABLE = 'HANGAR_TEST_RUN_ROOT';
const USERS_VARIABLE = 'HANGAR_TEST_RUN_ROOT_USERS';

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

function openRoot(): { root: string; previousTmpdir: string | undefined } {
  const shared = process.env[ROOT_VARIABLE];
  if (shared && existsSync(shared)) return { root: shared, previousTmpdir: undefined };
  const root = mkdtempSync(join(tmpdir(), 'hangar-test-run-'));
  chmodSync(root, 0o755);
  return { root, previousTmpdir: process.env.TMPDIR ?? '' };
}

export default function setup(): () => void {
  const { root, previousTmpdir } = openRoot();
  process.env[ROOT_VARIABLE] = root;
  process.env[USERS_VARIABLE] = String(Number(process.env[USERS_VARIABLE] ?? '0') + 1);
  if (previousTmpdir !== undefined) process.env.HANGAR_TEST_RUN_PREVIOUS_TMPDIR = previousTmpdir;
  process.env.TMPDIR = root;
  return () => {
    const users = Number(process.env[USERS_VARIABLE] ?? '1') - 1;
    process.env[USERS_VARIABLE] = String(users);
    if (users > 0) return;
    const previous = process.env.HANGAR_TEST_RUN_PREVIOUS_TMPDIR;
    if (previous) process.env.TMPDIR = previous;
    else delete process.env.TMPDIR;
    delete process.env[ROOT_VARIABLE];
    if (!existsSync(root)) return;
    try {
      killDaemons(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}
