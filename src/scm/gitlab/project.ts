// How GitLab's API addresses a project: by its numeric id where we know it (it survives renames and
// transfers), else by its `namespace/name` path with the slashes escaped (`group%2Fsub%2Fname`).

import type { RepoRef } from '../../core/scm.js';
import { segment } from '../internal/api-client.js';

export function projectPath(repo: RepoRef): string {
  return `/projects/${segment(repo.uid || repo.slug)}`;
}

/** A project by its path (`GET /projects/{slug}`), as `find` receives it. */
export function projectBySlug(slug: string): string {
  return `/projects/${segment(slug)}`;
}
