// What the server needs from a source-code host (the local git provider now; GitHub, Gitea, GitLab later).

import type { Netrc, Repo } from './types.js';

export interface Commit {
  sha: string;
  message: string;
  link: string;
  author: { login: string; name: string; email: string; avatar: string };
}

export interface ScmProvider {
  /** Resolves a branch name (or a full ref) to its head commit; throws NotFoundError when unknown. */
  findCommit(repo: Repo, ref: string): Promise<Commit>;
  /** Reads a commit's metadata; throws NotFoundError when unknown. */
  commit(repo: Repo, sha: string): Promise<Commit>;
  /** Reads a file at a commit; undefined when the file does not exist there. */
  readFile(repo: Repo, sha: string, path: string): Promise<string | undefined>;
  /** Clone credentials for runners, or null (research/drone-server.md §1.7). */
  netrc(repo: Repo): Promise<Netrc | null>;
}
