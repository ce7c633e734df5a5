// The source-code host and account variables of `hangar server` (research/drone-server.md §6): which provider
// is connected (the first configured in Drone's order), and who may log in, what is synced, how long the
// server trusts what the provider said.

import { ConfigError, type Env, bool, duration, int, list, str } from './env.js';

/** The source-code host (research/drone-server.md §6): one provider, chosen by which variables are set. */
export type ScmSettings =
  | { provider: 'git' }
  | { provider: 'github'; server: string; apiServer: string; clientId: string; clientSecret: string; scope: string[]; skipVerify: boolean }
  | { provider: 'gitea'; server: string; clientId: string; clientSecret: string; redirectUrl: string; scope: string[]; skipVerify: boolean }
  | { provider: 'gitlab'; server: string; clientId: string; clientSecret: string; redirectUrl: string; skipVerify: boolean }
  | { provider: 'gogs'; server: string; skipVerify: boolean };

/** Who may log in and what is synced (research/drone-server.md §6 "Users / registration / repositories"). */
export interface AccountSettings {
  registrationClosed: boolean;
  /** DRONE_USER_FILTER: logins and organisations allowed to register, lower-case; empty allows everyone. */
  userFilter: string[];
  /** DRONE_MIN_AGE: SCM accounts younger than this may not register (ms; 0 = any age). */
  minAgeMs: number;
  /** DRONE_REPOSITORY_FILTER: namespaces synced; empty syncs every namespace. */
  repositoryFilter: string[];
  /** DRONE_REPOSITORY_TRUSTED: repositories are trusted when first synced. */
  repositoryTrusted: boolean;
  /** DRONE_INCOMING_WEBHOOK_EVENTS: what the repository webhooks subscribe to. */
  webhookEvents: string[];
  /** How long a user's permissions on a repository are trusted before the SCM is asked again. */
  permissionTtlMs: number;
  /** A login older than this syncs the user's repositories again (Drone: 7 days). */
  resyncAfterMs: number;
  /** Login attempts per address per minute, on each server. */
  loginRateLimit: number;
}

/** A server address as a URL without a trailing slash; a ConfigError names the variable when it is not one. */
function serverUrl(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback).replace(/\/+$/, '');
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new ConfigError(name, `"${value}" is not an http(s) URL (example: https://git.example.com)`);
  }
  return value;
}

function required(env: Env, name: string, because: string): string {
  const value = str(env, name);
  if (!value) throw new ConfigError(name, `is required ${because}`);
  return value;
}

const DEFAULT_SCOPE = ['repo', 'repo:status', 'user:email', 'read:org'];

/**
 * The first configured provider in Drone's order (GitHub, Gitea, GitLab, Gogs); none is the local git
 * provider. Bitbucket, Gitee and Stash are refused by name rather than silently replaced.
 */
export function parseScm(env: Env, serverAddr: string): ScmSettings {
  for (const [prefix, name] of [['DRONE_BITBUCKET_CLIENT_ID', 'Bitbucket Cloud'], ['DRONE_STASH_CONSUMER_KEY', 'Bitbucket Server'], ['DRONE_GITEE_CLIENT_ID', 'Gitee']] as const) {
    if (str(env, prefix)) throw new ConfigError(prefix, `${name} is not supported by Hangar; connect GitHub, Gitea, GitLab or Gogs`);
  }
  if (str(env, 'DRONE_GITHUB_CLIENT_ID')) {
    const server = serverUrl(env, 'DRONE_GITHUB_SERVER', 'https://github.com');
    const apiDefault = server === 'https://github.com' ? 'https://api.github.com' : `${server}/api/v3`;
    return {
      provider: 'github',
      server,
      apiServer: serverUrl(env, 'DRONE_GITHUB_API_SERVER', apiDefault),
      clientId: str(env, 'DRONE_GITHUB_CLIENT_ID'),
      clientSecret: required(env, 'DRONE_GITHUB_CLIENT_SECRET', 'with DRONE_GITHUB_CLIENT_ID'),
      scope: list(env, 'DRONE_GITHUB_SCOPE', DEFAULT_SCOPE),
      skipVerify: bool(env, 'DRONE_GITHUB_SKIP_VERIFY'),
    };
  }
  if (str(env, 'DRONE_GITEA_SERVER')) {
    return {
      provider: 'gitea',
      server: serverUrl(env, 'DRONE_GITEA_SERVER', ''),
      clientId: required(env, 'DRONE_GITEA_CLIENT_ID', 'with DRONE_GITEA_SERVER (an OAuth2 application of Gitea)'),
      clientSecret: required(env, 'DRONE_GITEA_CLIENT_SECRET', 'with DRONE_GITEA_SERVER'),
      redirectUrl: str(env, 'DRONE_GITEA_REDIRECT_URL', `${serverAddr}/login`),
      scope: list(env, 'DRONE_GITEA_SCOPE', DEFAULT_SCOPE),
      skipVerify: bool(env, 'DRONE_GITEA_SKIP_VERIFY'),
    };
  }
  if (str(env, 'DRONE_GITLAB_CLIENT_ID')) {
    return {
      provider: 'gitlab',
      server: serverUrl(env, 'DRONE_GITLAB_SERVER', 'https://gitlab.com'),
      clientId: str(env, 'DRONE_GITLAB_CLIENT_ID'),
      clientSecret: required(env, 'DRONE_GITLAB_CLIENT_SECRET', 'with DRONE_GITLAB_CLIENT_ID'),
      redirectUrl: str(env, 'DRONE_GITLAB_REDIRECT_URL', `${serverAddr}/login`),
      skipVerify: bool(env, 'DRONE_GITLAB_SKIP_VERIFY'),
    };
  }
  if (str(env, 'DRONE_GOGS_SERVER')) {
    return { provider: 'gogs', server: serverUrl(env, 'DRONE_GOGS_SERVER', ''), skipVerify: bool(env, 'DRONE_GOGS_SKIP_VERIFY') };
  }
  return { provider: 'git' };
}

export function parseAccounts(env: Env): AccountSettings {
  return {
    registrationClosed: bool(env, 'DRONE_REGISTRATION_CLOSED'),
    userFilter: list(env, 'DRONE_USER_FILTER').map((entry) => entry.toLowerCase()),
    minAgeMs: duration(env, 'DRONE_MIN_AGE', 0),
    repositoryFilter: list(env, 'DRONE_REPOSITORY_FILTER'),
    repositoryTrusted: bool(env, 'DRONE_REPOSITORY_TRUSTED'),
    webhookEvents: list(env, 'DRONE_INCOMING_WEBHOOK_EVENTS', ['branch', 'deployment', 'push', 'tag', 'pull_request']),
    permissionTtlMs: duration(env, 'HANGAR_PERMISSION_TTL', 10 * 60_000),
    resyncAfterMs: duration(env, 'HANGAR_LOGIN_RESYNC_AFTER', 7 * 24 * 3_600_000),
    loginRateLimit: int(env, 'HANGAR_LOGIN_RATE_LIMIT', 60, { min: 1 }),
  };
}
