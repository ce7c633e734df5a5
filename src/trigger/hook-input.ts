// A webhook's build request (normalised by the provider's parser) as the triggerer takes it: trigger
// `@hook`, the commit and its author, the pull request's fork, a promotion's target.

import type { HookBuild } from '../core/scm.js';
import type { HookInput } from './trigger.js';

export function hookInput(build: HookBuild): HookInput {
  return {
    trigger: '@hook',
    event: build.event,
    action: build.action,
    link: build.link,
    title: build.title,
    message: build.message,
    before: build.before,
    after: build.after,
    ref: build.ref,
    source_repo: build.sourceRepo,
    source: build.source,
    target: build.target,
    author_login: build.author.login,
    author_name: build.author.name,
    author_email: build.author.email,
    author_avatar: build.author.avatar,
    sender: build.sender,
    deploy_to: build.deployTo ?? '',
    deploy_id: build.deployId ?? 0,
    params: build.params ?? {},
  };
}
