// Gogs' webhooks as Drone reads them (go-scm's gogs driver, Drone's hook parser): a branch push builds
// `push`; a tag builds `tag`/`create` from Gogs' `create` event, as Drone does for Gogs alone (Gogs sends no
// push for a tag, so a push to refs/tags, should an old server send one, is ignored and the tag builds
// once); pull requests build when opened, synchronized or reopened (closed only where a pipeline asks for
// it). Branch create/delete, tag delete, issues and comments build nothing. Signatures are
// `X-Gogs-Signature: <bare hex HMAC-SHA256 of the body>` with the repository's secret.
//
// Gogs' pull request payload names no commit: `before` and `after` stay empty (Drone's parser has the same
// gap), and the head commit has to be found from the head branch.

import type { HookBuild, HookRepo, ParsedHook, WebhookDelivery, WebhookParser } from '../../core/scm.js';
import { isDeletedRef, parseHookBody, parsedHook, pullRequestMessage, splitSlug, trimRef } from '../internal/hook-body.js';
import { asArray, field, type JsonObject, num, text } from '../internal/json.js';
import { verifyBareHmac } from '../internal/signature.js';
import { userLogin } from './convert.js';

/** Gogs' pull request actions that build, in Drone's words. */
const PULL_REQUEST_ACTIONS: Record<string, string> = { opened: 'opened', synchronized: 'synchronized', reopened: 'reopened', closed: 'closed' };

export const gogsWebhooks: WebhookParser = {
  // Gitea (and Forgejo) send X-Gogs-* headers too: a delivery carrying theirs is not ours.
  accepts: (delivery) => Boolean(delivery.headers['x-gogs-event']) && !delivery.headers['x-gitea-event'] && !delivery.headers['x-forgejo-event'],

  parse(delivery: WebhookDelivery): ParsedHook {
    const payload = parseHookBody(delivery);
    return parsedHook(delivery.headers['x-gogs-delivery'] ?? '', gogsHookRepo(payload), outcome(delivery.headers['x-gogs-event'] ?? '', payload));
  },

  verify: (delivery, secret) => verifyBareHmac(secret, delivery.body, delivery.headers['x-gogs-signature'] ?? ''),
};

/** What an event asks for: a build, or why none. */
function outcome(event: string, payload: JsonObject): HookBuild | string {
  switch (event) {
    case 'push':
      return parsePush(payload);
    case 'create':
      return parseCreate(payload);
    case 'pull_request':
      return parsePullRequest(payload);
    default:
      return `${event || 'an unnamed'} event builds nothing`;
  }
}

/** The payload's repository; undefined when it names none. */
function gogsHookRepo(payload: JsonObject): HookRepo | undefined {
  const repository = payload.repository;
  const slug = text(repository, 'full_name');
  if (!slug) return undefined;
  const { namespace, name } = splitSlug(slug);
  return { uid: text(repository, 'id'), namespace: userLogin(field(repository, 'owner')) || namespace, name: text(repository, 'name') || name, slug };
}

function sender(payload: JsonObject): { login: string; name: string; email: string; avatar: string } {
  const user = payload.sender;
  return { login: userLogin(user), name: text(user, 'full_name'), email: text(user, 'email'), avatar: text(user, 'avatar_url') };
}

/** A push to a branch; a string says why nothing is built. */
function parsePush(payload: JsonObject): HookBuild | string {
  const name = text(payload, 'ref');
  const after = text(payload, 'after');
  if (!name) return 'the push names no ref';
  if (isDeletedRef(after)) return `${name} was deleted`;
  const ref = name.startsWith('refs/') ? name : `refs/heads/${name}`;
  if (ref.startsWith('refs/tags/')) return `${ref}: Gogs tags build from their create event`;
  if (!ref.startsWith('refs/heads/')) return `${ref} is not a branch`;
  const commits = asArray(payload.commits);
  const head = commits.find((commit) => text(commit, 'id') === after) ?? commits[0];
  const by = sender(payload);
  const branch = trimRef(ref);
  return {
    event: 'push',
    action: '',
    ref,
    before: text(payload, 'before'),
    after,
    source: branch,
    target: branch,
    pullRequest: 0,
    sourceRepo: '',
    title: '',
    message: text(head, 'message'),
    // A new branch has no compare page.
    link: text(payload, 'compare_url') || text(head, 'url'),
    // Gogs' commits carry no avatar: the sender's stands in, as in Drone.
    author: { login: text(head, 'author', 'username'), name: text(head, 'author', 'name'), email: text(head, 'author', 'email'), avatar: by.avatar },
    sender: by.login,
  };
}

/**
 * A created tag, from `{ref: <short name>, ref_type: 'tag', sha}`. As Drone does for Gogs, source and target
 * are the tag's name and the author is the sender; the commit message is looked up from `sha` later.
 */
function parseCreate(payload: JsonObject): HookBuild | string {
  const refType = text(payload, 'ref_type');
  const name = trimRef(text(payload, 'ref'));
  if (refType !== 'tag') return `creating a ${refType || 'ref'} builds nothing (its push does)`;
  if (!name) return 'the tag has no name';
  const by = sender(payload);
  return {
    event: 'tag',
    action: 'create',
    ref: `refs/tags/${name}`,
    before: '',
    after: text(payload, 'sha'),
    source: name,
    target: name,
    pullRequest: 0,
    sourceRepo: '',
    title: '',
    message: '',
    link: '',
    author: by,
    sender: by.login,
  };
}

function parsePullRequest(payload: JsonObject): HookBuild | string {
  const action = PULL_REQUEST_ACTIONS[text(payload, 'action')];
  if (!action) return `pull request action "${text(payload, 'action')}" builds nothing`;
  const pr = payload.pull_request;
  const number = num(pr, 'number') || num(payload, 'number');
  const title = text(pr, 'title');
  const by = sender(payload);
  const user = field(pr, 'user');
  return {
    event: 'pull_request',
    action,
    ref: `refs/pull/${number}/head`,
    before: '',
    after: '',
    source: text(pr, 'head_branch'),
    target: text(pr, 'base_branch'),
    pullRequest: number,
    sourceRepo: text(pr, 'head_repo', 'full_name'),
    title,
    message: pullRequestMessage(title, text(pr, 'body')),
    link: text(pr, 'html_url'),
    author: { login: userLogin(user), name: text(user, 'full_name'), email: text(user, 'email'), avatar: text(user, 'avatar_url') || by.avatar },
    sender: by.login,
  };
}
