// API and page addresses of a repository and its builds, in one place.

export interface RepoRef {
  owner: string;
  name: string;
}

export const repoPath = ({ owner, name }: RepoRef) => `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
export const buildPath = (repo: RepoRef, build: number) => `${repoPath(repo)}/builds/${build}`;

/** The UI's own addresses: Drone's, so bookmarks and commit-status links keep working. */
export const repoPage = ({ owner, name }: RepoRef) => `/${owner}/${name}`;
export const buildPage = (repo: RepoRef, build: number) => `${repoPage(repo)}/${build}`;
export const stepPage = (repo: RepoRef, build: number, stage: number, step: number) => `${buildPage(repo, build)}/${stage}/${step}`;
export const settingsPage = (repo: RepoRef, section = '') => `${repoPage(repo)}/settings${section ? `/${section}` : ''}`;
