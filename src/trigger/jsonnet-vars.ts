// The external variables Drone gives a `.drone.jsonnet` (research/drone-server.md §7.4): build.* and repo.*.

import type { NewBuildFields } from '../core/store.js';
import type { Repo } from '../core/types.js';

export function jsonnetVars(repo: Repo, build: NewBuildFields): Record<string, string> {
  const vars: Record<string, string> = {
    'build.event': build.event,
    'build.action': build.action,
    'build.environment': build.deploy_to ?? '',
    'build.link': build.link,
    'build.branch': build.target,
    'build.source': build.source,
    'build.before': build.before,
    'build.after': build.after,
    'build.target': build.target,
    'build.ref': build.ref,
    'build.commit': build.after,
    'build.title': build.title ?? '',
    'build.message': build.message,
    'build.source_repo': build.source_repo,
    'build.author_login': build.author_login,
    'build.author_name': build.author_name,
    'build.author_email': build.author_email,
    'build.author_avatar': build.author_avatar,
    'build.sender': build.sender,
    'repo.uid': repo.uid,
    'repo.name': repo.name,
    'repo.namespace': repo.namespace,
    'repo.slug': repo.slug,
    'repo.git_http_url': repo.git_http_url,
    'repo.git_ssh_url': repo.git_ssh_url,
    'repo.link': repo.link,
    'repo.branch': repo.default_branch,
    'repo.config': repo.config_path,
    'repo.private': String(repo.private),
    'repo.visibility': repo.visibility,
    'repo.active': String(repo.active),
    'repo.trusted': String(repo.trusted),
    'repo.protected': String(repo.protected),
    'repo.ignore_forks': String(repo.ignore_forks),
    'repo.ignore_pull_requests': String(repo.ignore_pull_requests),
  };
  for (const [key, value] of Object.entries(build.params ?? {})) vars[`build.param.${key}`] = value;
  return vars;
}
