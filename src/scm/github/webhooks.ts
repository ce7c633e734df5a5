// GitHub's webhooks as Drone reads them (research/drone-clients.md §4.1–4.2, drone-server.md §7.1): a branch
// push builds `push`, a tag push `tag`/`create`; a push that deletes a ref builds nothing; pull requests build
// when opened, synchronized or reopened (closed only where a pipeline asks for it); a deployment is a
// promotion. `create`, `delete`, `ping` and every other event build nothing. Signatures are
// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>` with the repository's secret. The local git
// provider's post-receive hook sends this same format.

import type { HookBuild, HookRepo, ParsedHook, WebhookDelivery, WebhookParser } from '../../core/scm.js';
import { familyPullRequest } from '../internal/github-family.js';
import { isDeletedRef, parseHookBody, parsedHook, pushEvent, splitSlug, trimRef } from '../internal/hook-body.js';
import { type JsonObject, num, text } from '../internal/json.js';
import { verifyPrefixedHmac } from '../internal/signature.js';

/** How GitHub names a user in its payloads. */
const GITHUB_USERS = { loginOf: (user: unknown) => text(user, 'login') };

/** GitHub's pull request actions that build, in Drone's words. */
const PULL_REQUEST_ACTIONS: Record<string, string> = { opened: 'opened', synchronize: 'synchronized', reopened: 'reopened', closed: 'closed' };

export const githubWebhooks: WebhookParser = {
  // Gitea and Gogs send X-GitHub-Event too: a delivery carrying their headers is theirs.
  accepts: (delivery) => Boolean(delivery.headers['x-github-event']) && !delivery.headers['x-gitea-event'] && !delivery.headers['x-gogs-event'],

  parse(delivery: WebhookDelivery): ParsedHook {
    const id = delivery.headers['x-github-delivery'] ?? '';
    const event = delivery.headers['x-github-event'] ?? '';
    if (event === 'ping') return { kind: 'ignored', delivery: id, reason: 'ping' };
    const payload = parseHookBody(delivery);
    return parsedHook(id, githubHookRepo(payload), outcome(event, payload));
  },

  verify: (delivery, secret) => verifyPrefixedHmac(secret, delivery.body, delivery.headers['x-hub-signature-256'] ?? ''),
};

/** What an event asks for: a build, or why none. */
function outcome(event: string, payload: JsonObject): HookBuild | string {
  switch (event) {
    case 'push':
      return parsePush(payload);
    case 'pull_request':
      return familyPullRequest(payload, PULL_REQUEST_ACTIONS, GITHUB_USERS);
    case 'deployment':
      return parseDeployment(payload);
    default:
      return `${event || 'an unnamed'} event builds nothing`;
  }
}

function githubHookRepo(payload: JsonObject): HookRepo {
  const slug = text(payload, 'repository', 'full_name');
  const { namespace, name } = splitSlug(slug);
  return { uid: text(payload, 'repository', 'id'), namespace: text(payload, 'repository', 'owner', 'login') || namespace, name: text(payload, 'repository', 'name') || name, slug };
}

function sender(payload: JsonObject): { login: string; avatar: string } {
  return { login: text(payload, 'sender', 'login'), avatar: text(payload, 'sender', 'avatar_url') };
}

/** A push: `push` for a branch, `tag` for a tag; a string says why nothing is built. */
function parsePush(payload: JsonObject): HookBuild | string {
  const ref = text(payload, 'ref');
  const after = text(payload, 'after');
  if (!ref) return 'the push names no ref';
  if (payload.deleted === true || isDeletedRef(after)) return `${ref} was deleted`;
  const head = payload.head_commit;
  const by = sender(payload);
  return {
    ...pushEvent(ref, text(payload, 'base_ref')),
    ref,
    before: text(payload, 'before'),
    after,
    pullRequest: 0,
    sourceRepo: '',
    title: '',
    message: text(head, 'message'),
    link: text(payload, 'compare') || text(head, 'url'),
    author: {
      login: text(head, 'author', 'username') || by.login,
      name: text(head, 'author', 'name'),
      email: text(head, 'author', 'email'),
      avatar: by.avatar,
    },
    sender: by.login,
  };
}

/** A deployment is Drone's `promote` to its environment. */
function parseDeployment(payload: JsonObject): HookBuild | string {
  const deployment = payload.deployment;
  const sha = text(deployment, 'sha');
  if (!sha) return 'the deployment names no commit';
  const refName = text(deployment, 'ref');
  const ref = refName.startsWith('refs/') ? refName : refName === sha ? '' : `refs/heads/${refName}`;
  const branch = trimRef(ref);
  const by = sender(payload);
  return {
    event: 'promote',
    action: '',
    ref,
    before: sha,
    after: sha,
    source: branch,
    target: branch,
    pullRequest: 0,
    sourceRepo: '',
    title: '',
    message: text(deployment, 'description'),
    link: text(deployment, 'url'),
    author: { login: text(deployment, 'creator', 'login') || by.login, name: '', email: '', avatar: text(deployment, 'creator', 'avatar_url') || by.avatar },
    sender: by.login,
    deployTo: text(deployment, 'environment'),
    deployId: num(deployment, 'id'),
  };
}
