// SCM tokens: used as stored while they last, renewed once shortly before they expire (however many calls
// need them at that moment), and a renewal another server made first wins over ours.

import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ScmCredentials } from '../../../src/accounts/credentials.js';
import { UnauthorizedError } from '../../../src/core/errors.js';
import type { Token } from '../../../src/core/scm.js';

const now = () => Math.floor(Date.now() / 1000);

/** The users table's token column, with its conditional replace. */
class TokenColumn {
  constructor(public stored: Token | undefined) {}
  async scmToken(): Promise<Token | undefined> {
    return this.stored && { ...this.stored };
  }
  async replaceScmToken(_userId: number, previous: Token, next: Token): Promise<boolean> {
    if (!this.stored || this.stored.refresh !== previous.refresh || this.stored.expiry !== previous.expiry) return false;
    this.stored = next;
    return true;
  }
}

describe('SCM credentials', () => {
  it('uses a token that lasts as it is, and one without expiry forever', async () => {
    let refreshes = 0;
    const column = new TokenColumn({ access: 'a1', refresh: 'r1', expiry: now() + 3600 });
    const credentials = new ScmCredentials(column, { refresh: async () => (refreshes++, { access: 'x', refresh: 'y', expiry: 0 }) }, pino({ level: 'silent' }));
    expect((await credentials.forUser(1))?.access).toBe('a1');
    column.stored = { access: 'forever', refresh: '', expiry: 0 };
    expect((await credentials.forUser(1))?.access).toBe('forever');
    expect(refreshes).toBe(0);
  });

  it('renews a token about to expire once for many callers, and stores the new one', async () => {
    let refreshes = 0;
    const column = new TokenColumn({ access: 'a1', refresh: 'r1', expiry: now() + 30 });
    const credentials = new ScmCredentials(
      column,
      { refresh: async (token) => (refreshes++, { access: `${token.access}-renewed`, refresh: 'r2', expiry: now() + 7200 }) },
      pino({ level: 'silent' }),
    );
    const tokens = await Promise.all(Array.from({ length: 5 }, () => credentials.forUser(1)));
    expect(tokens.map((t) => t?.access)).toEqual(Array(5).fill('a1-renewed'));
    expect(refreshes).toBe(1);
    expect(column.stored).toMatchObject({ access: 'a1-renewed', refresh: 'r2' });
  });

  it("takes the token another server stored when its single-use refresh token was spent there first", async () => {
    const column = new TokenColumn({ access: 'a1', refresh: 'r1', expiry: now() + 10 });
    const credentials = new ScmCredentials(
      column,
      {
        async refresh() {
          // Meanwhile server B renewed: r1 is spent, the provider refuses it.
          column.stored = { access: 'from-server-b', refresh: 'r2', expiry: now() + 7200 };
          throw new UnauthorizedError('GitLab refused the refresh token');
        },
      },
      pino({ level: 'silent' }),
    );
    expect((await credentials.forUser(1))?.access).toBe('from-server-b');
  });

  it('fails when the renewal fails and no one else renewed', async () => {
    const column = new TokenColumn({ access: 'a1', refresh: 'r1', expiry: now() + 10 });
    const credentials = new ScmCredentials(column, { refresh: async () => Promise.reject(new UnauthorizedError('revoked')) }, pino({ level: 'silent' }));
    await expect(credentials.forUser(1)).rejects.toThrow('revoked');
  });
});

describe('clone credentials', () => {
  it("renew a token that would expire within the half hour a stage's fetches may need", async () => {
    const { netrcFor } = await import('../../../src/accounts/netrc.js');
    const column = new TokenColumn({ access: 'a1', refresh: 'r1', expiry: now() + 20 * 60 });
    const credentials = new ScmCredentials(column, { refresh: async () => ({ access: 'a2', refresh: 'r2', expiry: now() + 7200 }) }, pino({ level: 'silent' }));
    const repo = { private: true, git_http_url: 'https://gitlab.example.com/o/r.git', user_id: 3 } as Parameters<typeof netrcFor>[1];
    const netrc = await netrcFor({ scm: { cloneLogin: (token) => ({ login: 'oauth2', password: token.access }) }, credentials, git: { alwaysAuth: false, username: '', password: '' } }, repo);
    expect(netrc).toEqual({ machine: 'gitlab.example.com', login: 'oauth2', password: 'a2' });
    expect((await credentials.forUser(3))?.access).toBe('a2');
  });
});
