// Which source-code host a Drone configuration selects, and the clear errors a broken one gets at start.

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/env.js';
import { loadServerConfig } from '../../../src/config/server.js';

describe('DRONE_* source-code host variables', () => {
  it('uses the local git provider when no provider is configured', () => {
    expect(loadServerConfig({}).scm).toEqual({ provider: 'git' });
  });

  it('reads GitHub.com with its API host, and GitHub Enterprise with {server}/api/v3', () => {
    expect(loadServerConfig({ DRONE_GITHUB_CLIENT_ID: 'id', DRONE_GITHUB_CLIENT_SECRET: 'secret' }).scm).toMatchObject({
      provider: 'github',
      server: 'https://github.com',
      apiServer: 'https://api.github.com',
      scope: ['repo', 'repo:status', 'user:email', 'read:org'],
      skipVerify: false,
    });
    expect(loadServerConfig({ DRONE_GITHUB_CLIENT_ID: 'id', DRONE_GITHUB_CLIENT_SECRET: 'secret', DRONE_GITHUB_SERVER: 'https://ghe.example.com/', DRONE_GITHUB_SKIP_VERIFY: 'true' }).scm).toMatchObject({
      server: 'https://ghe.example.com',
      apiServer: 'https://ghe.example.com/api/v3',
      skipVerify: true,
    });
  });

  it("takes the first provider in Drone's order", () => {
    const config = loadServerConfig({ DRONE_GITHUB_CLIENT_ID: 'id', DRONE_GITHUB_CLIENT_SECRET: 's', DRONE_GITEA_SERVER: 'https://gitea.example.com', DRONE_GITEA_CLIENT_ID: 'g', DRONE_GITEA_CLIENT_SECRET: 'g' });
    expect(config.scm.provider).toBe('github');
  });

  it('reads Gitea with its redirect URL defaulting to the server address, GitLab and Gogs', () => {
    expect(loadServerConfig({ DRONE_SERVER_HOST: 'ci.example.com', DRONE_SERVER_PROTO: 'https', DRONE_GITEA_SERVER: 'https://gitea.example.com', DRONE_GITEA_CLIENT_ID: 'g', DRONE_GITEA_CLIENT_SECRET: 's' }).scm).toMatchObject({
      provider: 'gitea',
      redirectUrl: 'https://ci.example.com/login',
    });
    expect(loadServerConfig({ DRONE_GITLAB_CLIENT_ID: 'l', DRONE_GITLAB_CLIENT_SECRET: 's' }).scm).toMatchObject({ provider: 'gitlab', server: 'https://gitlab.com' });
    expect(loadServerConfig({ DRONE_GOGS_SERVER: 'http://gogs:3000' }).scm).toEqual({ provider: 'gogs', server: 'http://gogs:3000', skipVerify: false });
  });

  it('stops the start with an error naming the variable when a provider is half configured or not supported', () => {
    const failure = (env: Record<string, string>) => {
      try {
        loadServerConfig(env);
      } catch (err) {
        return err;
      }
      return undefined;
    };
    expect(failure({ DRONE_GITHUB_CLIENT_ID: 'id' })).toMatchObject({ variable: 'DRONE_GITHUB_CLIENT_SECRET' });
    expect(failure({ DRONE_GITEA_SERVER: 'https://gitea.example.com' })).toMatchObject({ variable: 'DRONE_GITEA_CLIENT_ID' });
    expect(failure({ DRONE_GOGS_SERVER: 'gogs.example.com' })).toMatchObject({ variable: 'DRONE_GOGS_SERVER', message: expect.stringMatching(/not an http\(s\) URL/) });
    expect(failure({ DRONE_BITBUCKET_CLIENT_ID: 'b' })).toBeInstanceOf(ConfigError);
    expect(failure({ DRONE_BITBUCKET_CLIENT_ID: 'b' })).toMatchObject({ message: expect.stringMatching(/Bitbucket Cloud is not supported/) });
  });

  it('reads who may register and the session cookie settings', () => {
    const config = loadServerConfig({ DRONE_USER_FILTER: 'Octocat,GitHub', DRONE_REGISTRATION_CLOSED: 'true', DRONE_SERVER_PROTO: 'https' });
    expect(config.accounts).toMatchObject({ userFilter: ['octocat', 'github'], registrationClosed: true });
    expect(config.cookie.secure).toBe(true);
    expect(loadServerConfig({}).cookie.secure).toBe(false);
  });
});
