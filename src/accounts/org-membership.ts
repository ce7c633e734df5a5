// Whether a user belongs to an organisation (namespace), for org secrets and templates (Drone's
// CheckMembership, research/drone-server.md §5.1). System admins and the user whose login is the namespace
// always pass. Otherwise the SCM answers: a provider that reports the user's role in an organisation
// (GitHub) decides membership and org admin; one that only lists the user's organisations decides
// membership, and writes stay with the two above. Answers are kept a few minutes per user and
// organisation, as Drone caches them; while the SCM cannot answer, the user counts as a non-member.

import type { Logger } from 'pino';
import type { LoginService, OrgMembership as Standing } from '../core/scm.js';
import type { User } from '../core/types.js';
import type { ScmCredentials } from './credentials.js';

export type OrgRole = 'member' | 'admin';

export interface OrgMembershipDeps {
  /** The provider's login service; absent for the local git provider (no organisations). */
  login: Pick<LoginService, 'orgs' | 'membership'> | undefined;
  credentials: Pick<ScmCredentials, 'forUser'>;
  /** How long an answer of the SCM is trusted (ms). */
  ttlMs: number;
  log: Logger;
}

const NONE: Standing = { member: false, admin: false };

export class OrgMembership {
  private readonly cache = new Map<string, { standing: Standing; until: number }>();

  constructor(private readonly deps: OrgMembershipDeps) {}

  /** Whether `user` has `role` in `namespace`. */
  async has(user: User, namespace: string, role: OrgRole): Promise<boolean> {
    if (user.admin) return true;
    if (user.login.toLowerCase() === namespace.toLowerCase()) return true;
    const standing = await this.standing(user, namespace.toLowerCase());
    return role === 'admin' ? standing.admin : standing.member;
  }

  private async standing(user: User, org: string): Promise<Standing> {
    const key = `${user.id}:${org}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.standing;
    const standing = await this.ask(user, org);
    if (!standing) return NONE;
    this.cache.set(key, { standing, until: Date.now() + this.deps.ttlMs });
    return standing;
  }

  /** Undefined when the SCM did not answer (not cached: the next request asks again). */
  private async ask(user: User, org: string): Promise<Standing | undefined> {
    const { login, credentials, log } = this.deps;
    if (!login) return NONE;
    try {
      const token = await credentials.forUser(user.id);
      if (!token) return NONE;
      if (login.membership) return await login.membership(token, org, user.login);
      const member = (await login.orgs(token)).some((name) => name.toLowerCase() === org);
      return { member, admin: false };
    } catch (err) {
      log.warn({ err, user: user.login, org }, 'organisation membership: the SCM did not answer');
      return undefined;
    }
  }
}
