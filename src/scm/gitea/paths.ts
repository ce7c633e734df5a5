// Addressing Gitea's REST API (under {server}/api/v1): a repository's path, a file path in it (owner and
// name escaped segment by segment, a file path keeping its slashes), and the size of a page of a list.

export function repoPath(slug: string): string {
  return `/repos/${escapePath(slug)}`;
}

/** `a/b c/d.yml` → `a/b%20c/d.yml`, without a leading `./` or `/`. */
export function escapePath(path: string): string {
  return path
    .replace(/^\.?\//, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}

/**
 * Items per page of a list. Gitea caps a page at its MAX_RESPONSE_ITEMS (50 unless configured); asking for
 * no more keeps ApiClient.list's "a short page is the last" rule right on servers that send no Link header.
 */
export const PAGE_SIZE = 50;
