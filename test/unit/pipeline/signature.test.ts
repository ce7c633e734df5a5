// Signed configurations for protected repositories (drone-yaml signer).

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signConfig, verifySignature } from '../../../src/pipeline/index.js';

const key = 'x'.repeat(32);
const config = 'kind: pipeline\nname: a\n---\nkind: pipeline\nname: b\n';

describe('signatures', () => {
  it('signs the raw documents like drone sign and verifies them', () => {
    const signed = signConfig(config, key);
    const expected = createHmac('sha256', key).update('kind: pipeline\nname: a\n').update('kind: pipeline\nname: b\n').digest('hex');
    expect(signed).toBe(`---\nkind: pipeline\nname: a\n---\nkind: pipeline\nname: b\n---\nkind: signature\nhmac: ${expected}\n\n...\n`);
    expect(verifySignature(signed ?? '', key)).toBe(true);
  });

  it('rejects a tampered file, a wrong key, a missing signature and a short key', () => {
    const signed = signConfig(config, key) ?? '';
    expect(verifySignature(signed.replace('name: b', 'name: c'), key)).toBe(false);
    expect(verifySignature(signed, 'y'.repeat(32))).toBe(false);
    expect(verifySignature(config, key)).toBe(false);
    expect(signConfig(config, 'short')).toBeUndefined();
  });
});
