// Gitea's webhooks as Drone reads them (research/drone-clients.md §4.3, drone-server.md §7.1). Gitea also
// sends Gogs' and GitHub's headers, so a delivery is Gitea's by `X-Gitea-Event` alone. A branch push builds
// `push`, a tag push `tag`/`create` (Drone builds Gitea's tags from the push, never from `create`); a push
// whose new head is all zeros deletes its ref and builds nothing. Pull requests build when opened,
// synchronized or reopened, and as `closed` where a pipeline asks for it. `create`, `delete`, issues,
// comments and everything else build nothing. The signature is `X-Gitea-Signature`, the bare hex
// HMAC-SHA256 of the body with the repository's secret; newer servers repeat it as `X-Hub-Signature-256`.

import type { HookBuild, HookRepo, ParsedHook, WebhookDelivery, WebhookParser } from '../../core/scm.js';
import { familyPullRequest } from '../internal/github-family.js';
import { isDeletedRef, parseHookBody, parsedHook, pushEvent, splitSlug } from '../internal/hook-body.js';
import { asArray, field, type JsonObject, text } from '../internal/json.js';
import { verifyBareHmac, verifyPrefixedHmac } from '../internal/signature.js';
import { loginOf } from './convert.js';

/** Gitea's pull request actions that build, in Drone's words (Gitea says `synchronized`, not `synchronize`). */
const PULL_REQUEST_ACTIONS: Record<string, string> = { opened: 'opened', synchronized: 'synchronized', reopened: 'reopened', closed: 'closed' };

/** Why the events Drone reads but does not build from are ignored. */
const IGNORED_EVENTS: Record<string, string> = {
  create: 'Gitea tags build from the push hook, branch creations build nothing',
  delete: 'a deleted branch or tag builds nothing',
};

export const giteaWebhooks: WebhookParser = {
  accepts: (delivery) => Boolean(delivery.headers['x-gitea-event']),

  parse(delivery: WebhookDelivery): ParsedHook {
    const payload = parseHookBody(delivery);
    return parsedHook(delivery.headers['x-gitea-delivery'] ?? '', giteaHookRepo(payload), outcome(delivery.headers['x-gitea-event'] ?? '', payload));
  },

  verify(delivery, secret) {
    const bare = delivery.headers['x-gitea-signature'];
    return bare ? verifyBareHmac(secret, delivery.body, bare) : verifyPrefixedHmac(secret, delivery.body, delivery.headers['x-hub-signature-256'] ?? '');
  },
};

/** What an event asks for: a build, or why none. */
function outcome(event: string, payload: JsonObject): HookBuild | string {
  switch (event) {
    case 'push':
      return parsePush(payload);
    case 'pull_request':
      return familyPullRequest(payload, PULL_REQUEST_ACTIONS, { loginOf });
    default:
      return IGNORED_EVENTS[event] ?? `${event || 'an unnamed'} event builds nothing`;
  }
}

/** The repository a payload names; undefined when it names none. */
function giteaHookRepo(payload: JsonObject): HookRepo | undefined {
  const repository = field(payload, 'repository');
  const slug = text(repository, 'full_name');
  if (!slug) return undefined;
  const { namespace, name } = splitSlug(slug);
  return { uid: text(repository, 'id'), namespace: loginOf(field(repository, 'owner')) || namespace, name: text(repository, 'name') || name, slug };
}

function sender(payload: JsonObject): { login: string; avatar: string } {
  return { login: loginOf(payload.sender), avatar: text(payload, 'sender', 'avatar_url') };
}

/** The pushed head: `head_commit` (newer servers), else the listed commit whose id is `after`, else the first. */
function headCommit(payload: JsonObject, after: string): unknown {
  if (text(payload, 'head_commit', 'id')) return payload.head_commit;
  const commits = asArray(payload.commits);
  return commits.find((commit) => text(commit, 'id') === after) ?? commits[0];
}

/** The author of a push: the head commit's, else (a push of no new commits) the pusher. */
function pushAuthor(payload: JsonObject, head: unknown): HookBuild['author'] {
  const by = sender(payload);
  if (head === undefined) {
    const pusher = payload.pusher;
    return { login: loginOf(pusher) || by.login, name: text(pusher, 'full_name'), email: text(pusher, 'email'), avatar: text(pusher, 'avatar_url') || by.avatar };
  }
  // A commit's author has a `username` only where its email matches a Gitea account, and never an avatar.
  return { login: text(head, 'author', 'username') || by.login, name: text(head, 'author', 'name'), email: text(head, 'author', 'email'), avatar: by.avatar };
}

/** A push: `push` for a branch, `tag` for a tag; a string says why nothing is built. */
function parsePush(payload: JsonObject): HookBuild | string {
  const ref = text(payload, 'ref');
  const after = text(payload, 'after');
  if (!ref) return 'the push names no ref';
  if (isDeletedRef(after)) return `${ref} was deleted`;
  const head = headCommit(payload, after);
  return {
    // Gitea sends no `base_ref`: a tag's source and target are empty, as under Drone.
    ...pushEvent(ref, text(payload, 'base_ref')),
    ref,
    before: text(payload, 'before'),
    after,
    pullRequest: 0,
    sourceRepo: '',
    title: '',
    message: text(head, 'message'),
    link: text(payload, 'compare_url') || text(head, 'url'),
    author: pushAuthor(payload, head),
    sender: sender(payload).login,
  };
}
