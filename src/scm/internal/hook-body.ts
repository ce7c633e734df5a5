// What every provider's webhook parser does first: read the body as JSON (a form-encoded `payload=` field
// too, as GitHub and Gitea can send), and the shared rules of Drone's hook parser.

import { BadRequestError } from '../../core/errors.js';
import type { HookBuild, HookRepo, ParsedHook, WebhookDelivery } from '../../core/scm.js';
import type { JsonObject } from './json.js';
import { asObject } from './json.js';

export function parseHookBody(delivery: WebhookDelivery): JsonObject {
  let json = delivery.body;
  if ((delivery.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    json = new URLSearchParams(delivery.body).get('payload') ?? '';
  }
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return asObject(parsed);
  } catch {
    throw new BadRequestError('invalid JSON payload');
  }
}

const ZERO_SHA = /^0+$/;

/** A push whose new head is all zeros deletes its branch or tag: Drone builds nothing for it. */
export function isDeletedRef(after: string): boolean {
  return after === '' || ZERO_SHA.test(after);
}

export function trimRef(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

/** Drone's message for a pull request: its body, or its title when the body is empty. */
export function pullRequestMessage(title: string, body: string): string {
  return body.trim() === '' ? title : body;
}

/** `owner/name` → its parts; the namespace may hold slashes (GitLab groups). */
export function splitSlug(slug: string): { namespace: string; name: string } {
  const cut = slug.lastIndexOf('/');
  return cut < 0 ? { namespace: '', name: slug } : { namespace: slug.slice(0, cut), name: slug.slice(cut + 1) };
}

/**
 * A parser's result: a build of `repo`, or (a string) why nothing is built. A payload asking for a build
 * without naming its repository is malformed.
 */
export function parsedHook(delivery: string, repo: HookRepo | undefined, outcome: HookBuild | string): ParsedHook {
  if (typeof outcome === 'string') return { kind: 'ignored', delivery, ...(repo ? { repo } : {}), reason: outcome };
  if (!repo) throw new BadRequestError('the payload names no repository');
  return { kind: 'build', delivery, repo, build: outcome };
}

/** A push to a branch builds `push`; to a tag, `tag`/`create`, its source and target the base branch when sent. */
export function pushEvent(ref: string, baseRef: string): Pick<HookBuild, 'event' | 'action' | 'source' | 'target'> {
  if (ref.startsWith('refs/tags/')) {
    const base = trimRef(baseRef);
    return { event: 'tag', action: 'create', source: base, target: base };
  }
  const branch = trimRef(ref);
  return { event: 'push', action: '', source: branch, target: branch };
}
