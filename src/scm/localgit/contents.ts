// The local git provider's contents: a repository is any URL git can clone (file:// included). The server
// keeps a bare cache per clone URL to resolve branches and read `.drone.yml` at a commit; runners clone
// themselves. Tokens play no part: git reaches the URL with what the machine has.

import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BoundedMap } from '../../core/bounded-map.js';
import { NotFoundError } from '../../core/errors.js';
import type { Commit, ContentService, RepoRef, Token } from '../../core/scm.js';
import { GitError, git } from '../git-command.js';
import { readLocalRef } from './local-refs.js';

export interface LocalGitOptions {
  /** Where the bare caches live. */
  cacheDir: string;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Commits never change: what was read at a commit is kept (a few hundred entries, small files only). */
const MEMO_ENTRIES = 512;
const MEMO_FILE_BYTES = 256 * 1024;

export class LocalGitContents implements ContentService {
  /** One fetch at a time per cache: concurrent builds of one repository share it. */
  private readonly fetches = new Map<string, Promise<void>>();
  private readonly memo = new BoundedMap<string, Commit | string | null>(MEMO_ENTRIES);
  /** Reads under way by memo key: builds of one commit created at once start one git process, not one each. */
  private readonly reading = new Map<string, Promise<unknown>>();
  private readonly caches = new Map<string, Promise<string>>();

  constructor(private readonly options: LocalGitOptions) {}

  async findCommit(_token: Token | undefined, repo: RepoRef, ref: string): Promise<Commit> {
    const fullRef = ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
    const local = await readLocalRef(repo.git_http_url, fullRef);
    if (local === null) throw new NotFoundError(`${fullRef} not found in ${repo.git_http_url}`);
    if (local) return this.commit(undefined, repo, local);
    const { stdout } = await git(['ls-remote', '--', repo.git_http_url, fullRef], { timeoutMs: 60_000 }).catch((err: unknown) => {
      throw new NotFoundError(`cannot read ${repo.git_http_url}: ${(err as Error).message}`);
    });
    const line = stdout.toString('utf8').split('\n').find((l) => l.endsWith(`\t${fullRef}`));
    if (!line) throw new NotFoundError(`${fullRef} not found in ${repo.git_http_url}`);
    return this.commit(undefined, repo, line.split('\t')[0]);
  }

  async commit(_token: Token | undefined, repo: RepoRef, sha: string): Promise<Commit> {
    if (!SHA.test(sha)) throw new NotFoundError(`"${sha}" is not a full commit sha`);
    const key = `${repo.git_http_url}\0${sha}`;
    const known = this.memo.get(key);
    if (known && typeof known === 'object') return known;
    return this.shared(key, async () => {
      const commit = await this.readCommit(repo, sha);
      this.memo.set(key, commit);
      return commit;
    });
  }

  private async readCommit(repo: RepoRef, sha: string): Promise<Commit> {
    const cache = await this.ensureCommit(repo, sha);
    const { stdout } = await git(['log', '-1', '--format=%H%x00%an%x00%ae%x00%B', sha, '--'], { cwd: cache });
    const [full, name, email, message] = stdout.toString('utf8').split('\0');
    return {
      sha: full.trim(),
      message: message.replace(/\n+$/, ''),
      link: '',
      author: { login: email.split('@')[0] || name, name, email, avatar: '' },
    };
  }

  async readFile(_token: Token | undefined, repo: RepoRef, sha: string, file: string): Promise<string | undefined> {
    const path = file.replace(/^\.?\//, '');
    const key = `${repo.git_http_url}\0${sha}\0${path}`;
    const known = this.memo.get(key);
    if (known === null) return undefined;
    if (typeof known === 'string') return known;
    return this.shared(key, async () => {
      const cache = await this.ensureCommit(repo, sha);
      try {
        const content = (await git(['show', `${sha}:${path}`], { cwd: cache })).stdout.toString('utf8');
        if (content.length <= MEMO_FILE_BYTES) this.memo.set(key, content);
        return content;
      } catch (err) {
        if (!(err instanceof GitError)) throw err;
        this.memo.set(key, null);
        return undefined;
      }
    });
  }

  private shared<T>(key: string, read: () => Promise<T>): Promise<T> {
    const running = this.reading.get(key) as Promise<T> | undefined;
    if (running) return running;
    const reading = read().finally(() => this.reading.delete(key));
    this.reading.set(key, reading);
    return reading;
  }

  /** The cache holding `sha`, fetching from the repository when the commit is not there yet. */
  private async ensureCommit(repo: RepoRef, sha: string): Promise<string> {
    const cache = await this.cacheFor(repo.git_http_url);
    if (await this.hasCommit(cache, sha)) return cache;
    await this.fetch(cache, repo.git_http_url);
    if (!(await this.hasCommit(cache, sha))) {
      // A commit no branch or tag points at: ask for it by name.
      await git(['fetch', '--quiet', '--no-tags', '--', repo.git_http_url, sha], { cwd: cache }).catch(() => undefined);
      if (!(await this.hasCommit(cache, sha))) throw new NotFoundError(`commit ${sha} not found in ${repo.git_http_url}`);
    }
    return cache;
  }

  private async hasCommit(cache: string, sha: string): Promise<boolean> {
    return git(['cat-file', '-e', `${sha}^{commit}`], { cwd: cache }).then(
      () => true,
      () => false,
    );
  }

  private fetch(cache: string, url: string): Promise<void> {
    const running = this.fetches.get(cache);
    if (running) return running;
    const fetching = git(['fetch', '--quiet', '--force', '--prune', '--', url, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'], { cwd: cache })
      .then(() => undefined)
      .catch((err: unknown) => {
        throw new NotFoundError(`cannot fetch ${url}: ${(err as Error).message}`);
      })
      .finally(() => this.fetches.delete(cache));
    this.fetches.set(cache, fetching);
    return fetching;
  }

  /** The bare cache of `url`, created once: concurrent `git init`s of one directory fight over its lock files. */
  private cacheFor(url: string): Promise<string> {
    const dir = path.join(this.options.cacheDir, `${createHash('sha256').update(url).digest('hex').slice(0, 24)}.git`);
    let ready = this.caches.get(dir);
    if (!ready) {
      ready = this.createCache(dir);
      this.caches.set(dir, ready);
      ready.catch(() => this.caches.delete(dir));
    }
    return ready;
  }

  private async createCache(dir: string): Promise<string> {
    try {
      await fs.access(path.join(dir, 'HEAD'));
    } catch {
      await fs.mkdir(dir, { recursive: true });
      await git(['init', '--quiet', '--bare', dir]);
    }
    return dir;
  }
}
