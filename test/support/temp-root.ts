// vitest globalSetup: every temporary file and directory of a test run (os.tmpdir()) goes under one
// directory of its own, removed when the run ends, with any daemon still running from it — a test that
// fails half way leaves nothing behind.
// Every project lists this setup; they all share the first project's directory (nesting them would make
// paths too long for Unix sockets), and the last teardown removes it, whatever order vitest tears down in.
// Readable by others: the throwaway PostgreSQL runs as the postgres user and keeps its data in there.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT_VARIABLE = 'HANGAR_TEST_RUN_ROOT';
/** The run's directory in memory (/dev/shm): for what is written fast and often (clusters, workspaces). */
const SHM_VARIABLE = 'HANGAR_TEST_SHM_ROOT';
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

/**
 * Processes started by the run's workers carry HANGAR_TEST_RUN_ROOT in their environment (hangar servers,
 * runners, and daemons whose data lives outside the root, e.g. a cluster's Redis and HAProxy in /dev/shm):
 * killed too, so a worker that died mid-test leaves nothing running.
 */
function killMarkedProcesses(root: string): void {
  const marker = `${ROOT_VARIABLE}=${root}\0`;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker)) continue;
      // vitest's own workers (our children) carry the marker too and end by themselves; the run's
      // PostgreSQL is stopped by global-setup.ts.
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) process.kill(pid, 'SIGKILL');
    } catch {
      /* gone, or not ours to read */
    }
  }
}

function openRoot(): { root: string; shm: string; previousTmpdir: string | undefined } {
  const shared = process.env[ROOT_VARIABLE];
  const sharedShm = process.env[SHM_VARIABLE];
  if (shared && sharedShm && existsSync(shared)) return { root: shared, shm: sharedShm, previousTmpdir: undefined };
  const root = mkdtempSync(join(tmpdir(), 'hangar-test-run-'));
  chmodSync(root, 0o755);
  const shm = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/hangar-test-run-') : join(root, 'shm');
  mkdirSync(shm, { recursive: true });
  chmodSync(shm, 0o755);
  return { root, shm, previousTmpdir: process.env.TMPDIR ?? '' };
}

export default function setup(): () => void {
  const { root, shm, previousTmpdir } = openRoot();
  process.env[ROOT_VARIABLE] = root;
  process.env[SHM_VARIABLE] = shm;
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
    delete process.env[SHM_VARIABLE];
    killMarkedProcesses(root);
    for (const dir of [root, shm]) {
      if (!existsSync(dir)) continue;
      try {
        killDaemons(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  };
}
