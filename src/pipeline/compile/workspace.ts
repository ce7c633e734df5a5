// The docker workspace (research/drone-runner.md §6.3): `workspace.base` and `workspace.path` give the
// volume's mount point and the working directory; some host paths may never be used.

import { cleanPath } from '../internal/paths.js';
import type { Pipeline } from '../manifest/types.js';

export function workspaceOf(pipeline: Pipeline): { base: string; path: string; full: string } {
  let base = pipeline.workspace.base;
  let path = pipeline.workspace.path;
  if (base === '') {
    if (path.startsWith('/')) {
      base = path;
      path = '';
    } else {
      base = '/drone/src';
    }
  }
  let full = joinPath(base, path);
  if (pipeline.platform.os === 'windows') {
    base = 'c:' + base.replace(/\//g, '\\');
    path = path.replace(/\//g, '\\');
    full = 'c:' + full.replace(/\//g, '\\');
  }
  return { base, path, full };
}

/** Go's path.Join. */
function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  return joined === '' ? '' : cleanPath(joined);
}

/** Host paths a step may never use as its workspace or privileged mount (runner-go container). */
export function isRestrictedVolume(path: string): boolean {
  const p = cleanPath(path.startsWith('/') ? path : '/' + path).toLowerCase();
  if (p === '/' || p === '/etc' || p === '/var') return true;
  const trees = ['/etc/docker', '/var/run', '/proc', '/usr/local/bin', '/usr/local/sbin', '/usr/bin', '/bin', '/mnt', '/mount', '/media', '/sys', '/dev'];
  return trees.some((t) => p === t || p.startsWith(t + '/'));
}
