// Branch and tag heads of a repository on this machine (a `file://` URL or a path), read from its ref
// files: no `git` process per build. Anything this reader does not understand (a symbolic ref, the
// reftable format, a URL of another scheme) answers undefined, and the caller asks git instead.

import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** The sha `fullRef` (e.g. `refs/heads/main`) points at, null when the repository has no such ref. */
export async function readLocalRef(url: string, fullRef: string): Promise<string | null | undefined> {
  const gitDir = await localGitDir(url);
  if (!gitDir || fullRef.includes('..')) return undefined;
  const loose = await fs.readFile(path.join(gitDir, fullRef), 'utf8').catch(() => undefined);
  if (loose !== undefined) {
    const sha = loose.trim();
    return SHA.test(sha) ? sha : undefined;
  }
  const packed = await fs.readFile(path.join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    const [sha, name] = line.split(' ');
    if (name === fullRef && SHA.test(sha)) return sha;
  }
  return null;
}

/** Where each URL's refs are, found once: a repository does not move while the server runs. */
const gitDirs = new Map<string, Promise<string | undefined>>();

function localGitDir(url: string): Promise<string | undefined> {
  let found = gitDirs.get(url);
  if (!found) {
    found = findLocalGitDir(url);
    gitDirs.set(url, found);
    // Not a local repository (yet): asked again next time.
    void found.then((dir) => dir === undefined && gitDirs.delete(url));
  }
  return found;
}

/** The git directory of a local repository in the files-backend format, undefined for anything else. */
async function findLocalGitDir(url: string): Promise<string | undefined> {
  const dir = url.startsWith('file://') ? fileURLToPath(url) : url.startsWith('/') ? url : undefined;
  if (!dir) return undefined;
  for (const candidate of [dir, path.join(dir, '.git')]) {
    const [head, refs] = await Promise.all([fs.stat(path.join(candidate, 'HEAD')).catch(() => undefined), fs.stat(path.join(candidate, 'refs', 'heads')).catch(() => undefined)]);
    if (head?.isFile() && refs?.isDirectory()) return candidate;
  }
  return undefined;
}
