// The SCM token a call is made with: a user's stored token, renewed first when the provider expires tokens
// and this one runs out within a minute (Drone's rule; GitLab and Gitea tokens last hours). Renewal is
// shared by concurrent callers on this server, and a renewal another server stored first wins: the refresh
// token of providers that rotate them is single-use, so the loser reads the winner's token.

import type { Logger } from 'pino';
import type { LoginService, Token } from '../core/scm.js';
import type { UserStore } from '../core/store.js';

/** Tokens this close to their expiry (seconds) are renewed before use. */
const RENEW_MARGIN_SECONDS = 60;

export class ScmCredentials {
  private readonly renewals = new Map<number, Promise<Token | undefined>>();

  /**
   * `login` is the provider's login service; without one (the local git provider) no call ever carries a
   * token, and none is read.
   */
  constructor(
    private readonly users: Pick<UserStore, 'scmToken' | 'replaceScmToken'>,
    private readonly login: Pick<LoginService, 'refresh'> | undefined,
    private readonly log: Logger,
  ) {}

  /**
   * The user's token, renewed when it expires within a minute — or within `validForSeconds`, for a token that
   * must last a while (a runner's clone credentials); undefined when the user has none.
   */
  async forUser(userId: number, options: { validForSeconds?: number } = {}): Promise<Token | undefined> {
    if (userId <= 0 || !this.login) return undefined;
    const token = await this.users.scmToken(userId);
    if (!token || !this.login?.refresh || !needsRenewal(token, options.validForSeconds ?? RENEW_MARGIN_SECONDS)) return token;
    let renewal = this.renewals.get(userId);
    if (!renewal) {
      renewal = this.renew(userId, token).finally(() => this.renewals.delete(userId));
      this.renewals.set(userId, renewal);
    }
    return renewal;
  }

  private async renew(userId: number, token: Token): Promise<Token | undefined> {
    const login = this.login;
    if (!login?.refresh) return token;
    try {
      const next = await login.refresh(token);
      if (await this.users.replaceScmToken(userId, token, next)) return next;
      this.log.debug({ user: userId }, 'scm token renewed by another server first');
    } catch (err) {
      // Another server may have used the single-use refresh token a moment ago: its token is stored.
      const stored = await this.users.scmToken(userId);
      if (stored && stored.access !== token.access) return stored;
      throw err;
    }
    return this.users.scmToken(userId);
  }
}

function needsRenewal(token: Token, validForSeconds: number): boolean {
  return token.expiry > 0 && token.refresh !== '' && token.expiry - Date.now() / 1000 < validForSeconds;
}
