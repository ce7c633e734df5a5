// Encrypted `kind: secret` values: what the encrypt API makes, runner-go's lookup reads — with Go's key
// sizes, and never for a pull request from a fork of a public repository.

import { describe, expect, it } from 'vitest';
import type { Build, Repo } from '../../../src/core/types.js';
import { findSecret, type SecretSources } from '../../../src/pipeline/compile/secrets.js';
import { decryptSecret, encryptSecret } from '../../../src/pipeline/index.js';

const KEY = 'abcdefghijklmnopqrstuvwxyz012345';

function sources(data: string, build: Partial<Build>, repo: Partial<Repo> = {}): SecretSources {
  return {
    server: [],
    documents: [{ kind: 'secret', name: 'token', data, get: { path: '', name: '', key: '' }, index: 1, position: undefined }],
    repo: { private: false, ...repo, secret: KEY } as Repo & { secret: string },
    build: { event: 'push', source_repo: '', ...build } as Build,
  };
}

describe('encrypted secrets', () => {
  it('round-trips with 32-, 24- and 16-byte repository keys, and refuses other keys', () => {
    for (const key of [KEY, KEY.slice(0, 24), KEY.slice(0, 16)]) {
      const data = encryptSecret('s3cret', key) ?? '';
      expect(decryptSecret(data, key)).toBe('s3cret');
      expect(decryptSecret(data, key.replace('a', 'b'))).toBeUndefined();
    }
    expect(encryptSecret('s3cret', 'short')).toBeUndefined();
    expect(encryptSecret('s3cret', '')).toBeUndefined();
  });

  it('uses a fresh nonce for every value', () => {
    expect(encryptSecret('same', KEY)).not.toBe(encryptSecret('same', KEY));
  });

  it('hides the value from pull requests of forks of public repositories only', () => {
    const data = encryptSecret('s3cret', KEY) ?? '';
    expect(findSecret(sources(data, { event: 'push' }), 'token')).toBe('s3cret');
    expect(findSecret(sources(data, { event: 'pull_request', source_repo: '' }), 'token')).toBe('s3cret');
    expect(findSecret(sources(data, { event: 'pull_request', source_repo: 'fork/repo' }), 'token')).toBeUndefined();
    expect(findSecret(sources(data, { event: 'pull_request', source_repo: 'fork/repo' }, { private: true }), 'token')).toBe('s3cret');
  });

  it('lets a server secret of the same name win', () => {
    const data = encryptSecret('from-yaml', KEY) ?? '';
    const withServer = { ...sources(data, {}), server: [{ name: 'TOKEN', data: 'from-server' }] };
    expect(findSecret(withServer, 'token')).toBe('from-server');
  });
});
