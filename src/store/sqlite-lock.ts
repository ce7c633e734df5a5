// One Hangar server per SQLite file. SQLite's own locks only serialise writes; two servers on one file
// would each run their dispatcher, sweep and lease logic against the other (DESIGN §3b). So the first
// server takes an exclusive lock on a small companion database `<file>-hangar.lock` and keeps it open.
// The operating system releases that lock when the process dies, so a stale lock from a crashed server
// never blocks a restart; the owner's pid is written beside it for the error message.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

import BetterSqlite3 from 'better-sqlite3';

export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
}

export interface SqliteFileLock {
  readonly path: string;
  release(): void;
}

/** Takes the lock for `databasePath` or throws DatabaseInUseError naming the owner. */
export function lockSqliteFile(databasePath: string): SqliteFileLock {
  const lockPath = `${databasePath}-hangar.lock`;
  const ownerPath = `${lockPath}.pid`;
  const lockDb = new BetterSqlite3(lockPath, { timeout: 0 });
  try {
    lockDb.pragma('locking_mode = EXCLUSIVE');
    lockDb.pragma('journal_mode = MEMORY');
    // The first write takes the exclusive lock; in EXCLUSIVE locking mode it is kept until close.
    lockDb.exec('CREATE TABLE IF NOT EXISTS owner (pid INTEGER); DELETE FROM owner;');
    lockDb.prepare('INSERT INTO owner (pid) VALUES (?)').run(process.pid);
  } catch (err) {
    lockDb.close();
    if (isBusy(err)) {
      const owner = readOwner(ownerPath);
      throw new DatabaseInUseError(
        `the SQLite database ${databasePath} is in use by another Hangar server${owner ? ` (${owner})` : ''}; ` +
          'one server process per SQLite file: stop the other server, or use PostgreSQL to run several',
      );
    }
    throw err;
  }
  writeFileSync(ownerPath, `pid ${process.pid} on ${hostname()}\n`);
  let released = false;
  return {
    path: lockPath,
    release() {
      if (released) return;
      released = true;
      rmSync(ownerPath, { force: true });
      lockDb.close();
    },
  };
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function readOwner(ownerPath: string): string | undefined {
  try {
    return readFileSync(ownerPath, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
