// A new build from an earlier one (restart, promote, rollback): the same commit, ref and author, numbered
// after it, triggered by the current user. The configuration is read again at that commit.

import type { Build } from '../../../core/types.js';
import type { HookInput } from '../../../trigger/trigger.js';

export function rebuildOf(previous: Build, trigger: string, overrides: Partial<HookInput>): HookInput {
  return {
    parent: previous.number,
    trigger,
    event: previous.event,
    action: previous.action,
    link: previous.link,
    title: previous.title ?? '',
    message: previous.message,
    before: previous.before,
    after: previous.after,
    ref: previous.ref,
    source_repo: previous.source_repo,
    source: previous.source,
    target: previous.target,
    author_login: previous.author_login,
    author_name: previous.author_name,
    author_email: previous.author_email,
    author_avatar: previous.author_avatar,
    sender: previous.sender,
    cron: previous.cron,
    deploy_to: previous.deploy_to,
    deploy_id: previous.deploy_id,
    params: previous.params ?? {},
    ...overrides,
  };
}

/**
 * Build parameters from the query and from a form body (drone-node sends them as a form, the drone CLI in
 * the query; Drone itself reads only the query), without the names the route itself reads.
 */
export function customParams(query: Record<string, string>, body: unknown, reserved: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  const form = isStringRecord(body) ? body : {};
  for (const [key, value] of Object.entries({ ...form, ...query })) {
    if (!reserved.includes(key) && key !== 'access_token') params[key] = value;
  }
  return params;
}

/** A field read as Drone's FormValue reads it: the query first, then a form body. */
export function formValue(query: Record<string, string>, body: unknown, name: string): string | undefined {
  if (query[name] !== undefined) return query[name];
  return isStringRecord(body) ? body[name] : undefined;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string');
}
