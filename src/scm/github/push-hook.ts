// A GitHub push webhook as Drone reads it (research/drone-server.md §7.1): a branch push builds event
// `push`, a tag push event `tag`; a deleted ref or an all-zero `after` builds nothing. The local git
// provider's post-receive hook sends this same payload, so the GitHub provider will reuse the parser.

import type { NewBuildFields } from '../../core/store.js';

export interface PushPayload {
  ref?: string;
  before?: string;
  after?: string;
  deleted?: boolean;
  base_ref?: string | null;
  compare?: string;
  head_commit?: { id?: string; message?: string; url?: string; author?: { name?: string; email?: string; username?: string } } | null;
  repository?: { full_name?: string };
  sender?: { login?: string; avatar_url?: string };
}

export type PushHook = Pick<
  NewBuildFields,
  'trigger' | 'event' | 'action' | 'link' | 'message' | 'before' | 'after' | 'ref' | 'source' | 'target' | 'author_login' | 'author_name' | 'author_email' | 'author_avatar' | 'sender'
>;

const ZERO_SHA = /^0+$/;

/** The repository slug a payload names (owner/name). */
export function pushRepository(payload: PushPayload): string | undefined {
  return payload.repository?.full_name || undefined;
}

/** The build a push asks for, or undefined when it asks for none (a deleted ref). */
export function parsePushHook(payload: PushPayload): PushHook | undefined {
  const ref = payload.ref ?? '';
  const after = payload.after ?? '';
  if (!ref || !after || payload.deleted || ZERO_SHA.test(after)) return undefined;
  const commit = payload.head_commit ?? {};
  const sender = payload.sender ?? {};
  const common = {
    trigger: '@hook',
    action: '',
    link: payload.compare || commit.url || '',
    message: commit.message ?? '',
    before: payload.before ?? '',
    after,
    ref,
    author_login: commit.author?.username || sender.login || '',
    author_name: commit.author?.name ?? '',
    author_email: commit.author?.email ?? '',
    author_avatar: sender.avatar_url ?? '',
    sender: sender.login ?? '',
  };
  if (ref.startsWith('refs/tags/')) {
    const base = (payload.base_ref ?? '').replace(/^refs\/heads\//, '') || ref.slice('refs/tags/'.length);
    return { ...common, event: 'tag', action: 'create', source: base, target: base };
  }
  const branch = ref.replace(/^refs\/heads\//, '');
  return { ...common, event: 'push', source: branch, target: branch };
}
