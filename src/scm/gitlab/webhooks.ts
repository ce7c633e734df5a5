// GitLab's webhooks as Drone reads them (go-scm's gitlab driver, research/drone-server.md §7.1), chosen by
// X-Gitlab-Event:
// - `Push Hook` builds `push` (a branch creation too: GitLab sends it as a push with its commits); a push
//   whose `after` is all zeros deletes the branch and builds nothing.
// - `Tag Push Hook` builds `tag`/`create` at `checkout_sha` (the commit, where `after` may be an annotated
//   tag object); a deleted tag builds nothing.
// - `Merge Request Hook` builds when a merge request is opened, reopened or closed, and when an update
//   brings new commits (`oldrev`); edits of its title, labels or draft state, and merges, build nothing.
// - Everything else (issues, notes, pipelines, system hooks) builds nothing.
// GitLab signs nothing: it sends the hook's secret token back in X-Gitlab-Token.
//
// The delivery id (a redelivery of it builds once) is Idempotency-Key (GitLab 17.4+): one per hook execution,
// kept when the hook log's "Resend request" sends it again; before 17.4, X-Gitlab-Webhook-UUID (one per
// request). X-Gitlab-Event-UUID is never one: it names the request that caused the event, so every Push
// Hook of one `git push` of several branches carries the same one, and a resend carries a new one.

import { timingSafeEqual } from 'node:crypto';
import type { HookBuild, HookRepo, ParsedHook, WebhookDelivery, WebhookParser } from '../../core/scm.js';
import { isDeletedRef, parseHookBody, parsedHook, pullRequestMessage, pushEvent, splitSlug } from '../internal/hook-body.js';
import { asArray, type JsonObject, num, text } from '../internal/json.js';

/** GitLab's merge request actions that build, in Drone's words (`update` is handled apart). */
const MERGE_REQUEST_ACTIONS: Record<string, string> = { open: 'opened', reopen: 'reopened', close: 'closed' };

export const gitlabWebhooks: WebhookParser = {
  accepts: (delivery) => Boolean(delivery.headers['x-gitlab-event']),

  parse(delivery: WebhookDelivery): ParsedHook {
    // Idempotency-Key (GitLab 17.4+) stays the same when a delivery is resent; X-Gitlab-Webhook-UUID is one
    // request's. X-Gitlab-Event-UUID is shared by every hook of one `git push` (all its branches): never an id.
    const id = delivery.headers['idempotency-key'] || delivery.headers['x-gitlab-webhook-uuid'] || '';
    const payload = parseHookBody(delivery);
    return parsedHook(id, gitlabHookRepo(payload), outcome(delivery.headers['x-gitlab-event'] ?? '', payload));
  },

  async verify(delivery, secret) {
    const sent = delivery.headers['x-gitlab-token'] ?? '';
    if (!sent || !secret) return false;
    const a = Buffer.from(sent, 'utf8');
    const b = Buffer.from(secret, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  },
};

/** What an event asks for: a build, or why none. */
function outcome(event: string, payload: JsonObject): HookBuild | string {
  switch (event) {
    case 'Push Hook':
    case 'Tag Push Hook':
      return parsePush(payload);
    case 'Merge Request Hook':
      return parseMergeRequest(payload);
    default:
      return `${event || 'an unnamed'} event builds nothing`;
  }
}

/** Every payload names its project; its namespace is everything before the last slash (subgroups). */
export function gitlabHookRepo(payload: JsonObject): HookRepo {
  const slug = text(payload, 'project', 'path_with_namespace');
  const { namespace, name } = splitSlug(slug);
  return { uid: text(payload, 'project', 'id'), namespace, name, slug };
}

/** A branch or tag push; a string says why nothing is built. */
function parsePush(payload: JsonObject): HookBuild | string {
  const ref = expandRef(text(payload, 'ref'));
  if (!ref) return 'the push names no ref';
  const after = text(payload, 'checkout_sha') || text(payload, 'after');
  if (isDeletedRef(text(payload, 'after')) || isDeletedRef(after)) return `${ref} was deleted`;
  const before = text(payload, 'before');
  const head = headCommit(payload, after);
  const login = text(payload, 'user_username');
  const common = {
    ref,
    before,
    after,
    pullRequest: 0,
    sourceRepo: '',
    title: '',
    message: text(head, 'message'),
    link: text(head, 'url') || compareLink(payload, before, after),
    author: {
      login,
      name: text(head, 'author', 'name') || text(payload, 'user_name'),
      email: text(head, 'author', 'email') || text(payload, 'user_email'),
      avatar: text(payload, 'user_avatar'),
    },
    sender: login,
  };
  // Drone takes a tag's source and target from the push's base ref, which GitLab does not send.
  return { ...common, ...pushEvent(ref, '') };
}

/** GitLab sends full refs; a bare name is a branch (go-scm's ExpandRef). */
function expandRef(ref: string): string {
  return ref === '' || ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
}

/** The pushed head among the payload's commits (at most 20, oldest first), else the newest listed. */
function headCommit(payload: JsonObject, sha: string): unknown {
  const commits = asArray(payload.commits);
  return commits.find((commit) => text(commit, 'id') === sha) ?? commits[commits.length - 1];
}

function compareLink(payload: JsonObject, before: string, after: string): string {
  const web = text(payload, 'project', 'web_url');
  return web && !isDeletedRef(before) ? `${web}/-/compare/${before}...${after}` : web;
}

function parseMergeRequest(payload: JsonObject): HookBuild | string {
  const attrs = payload.object_attributes;
  const verb = text(attrs, 'action');
  const action = verb === 'update' ? (text(attrs, 'oldrev') ? 'synchronized' : '') : MERGE_REQUEST_ACTIONS[verb];
  if (!action) return verb === 'update' ? 'the merge request update brings no commits' : `merge request action "${verb}" builds nothing`;
  const iid = num(attrs, 'iid');
  const title = text(attrs, 'title');
  const login = text(payload, 'user', 'username');
  return {
    event: 'pull_request',
    action,
    ref: `refs/merge-requests/${iid}/head`,
    before: '',
    after: text(attrs, 'last_commit', 'id'),
    source: text(attrs, 'source_branch'),
    target: text(attrs, 'target_branch'),
    pullRequest: iid,
    sourceRepo: text(attrs, 'source', 'path_with_namespace'),
    title,
    message: pullRequestMessage(title, text(attrs, 'description')),
    link: text(attrs, 'url'),
    author: { login, name: text(payload, 'user', 'name'), email: '', avatar: text(payload, 'user', 'avatar_url') },
    sender: login,
  };
}
