// DRONE_LIMIT_REPOS / DRONE_LIMIT_EVENTS / DRONE_LIMIT_TRUSTED (research/drone-runner.md §3.5): a runner
// may refuse stages of other repositories, events or untrusted repositories. Patterns are Go's
// filepath.Match: `*` and `?` do not cross `/`.

import type { StageDetails } from '../core/types.js';

export function matchesLimits(limits: { repos: string[]; events: string[]; trusted: boolean }, details: StageDetails): boolean {
  if (limits.trusted && !details.repository.trusted) return false;
  if (limits.repos.length > 0 && !limits.repos.some((p) => pathMatch(p, details.repository.slug))) return false;
  if (limits.events.length > 0 && !limits.events.some((p) => pathMatch(p, details.build.event))) return false;
  return true;
}

/** Go's path.Match for `*`, `?` and `[…]` classes; a malformed pattern matches nothing. */
export function pathMatch(pattern: string, name: string): boolean {
  let regex = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') regex += '[^/]*';
    else if (c === '?') regex += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) return false;
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^')) body = `^${body.slice(1)}`;
      regex += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) regex += `\\${pattern[++i]}`;
    else regex += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  try {
    return new RegExp(`${regex}$`).test(name);
  } catch {
    return false;
  }
}
