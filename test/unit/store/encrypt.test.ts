import { createCipheriv, randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { createEncrypter, EncryptionError } from '../../../src/store/encrypt.js';

const KEY = 'fd0b8a6d79d7e1c4f2d3a6b5c4e3f2a1'; // 32 ASCII characters, as `openssl rand -hex 16` prints

/** What Drone's encrypter stores: nonce(12) ‖ ciphertext ‖ tag(16). */
function droneEncrypt(key: string, plaintext: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), nonce);
  return Buffer.concat([nonce, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
}

describe('createEncrypter', () => {
  it('decrypts a value Drone encrypted', () => {
    expect(createEncrypter(KEY).decrypt(droneEncrypt(KEY, 'hunter2'))).toBe('hunter2');
    expect(createEncrypter(Buffer.from(KEY)).decrypt(droneEncrypt(KEY, ''))).toBe('');
  });

  it('writes Drone’s layout: 28 bytes more than the plaintext, a fresh nonce each time', () => {
    const encrypter = createEncrypter(KEY);
    const a = encrypter.encrypt('hunter2');
    const b = encrypter.encrypt('hunter2');
    expect(a).toHaveLength(35);
    expect(encrypter.encrypt('')).toHaveLength(28);
    expect(a.equals(b)).toBe(false);
    expect(encrypter.decrypt(a)).toBe('hunter2');
    expect(a.includes('hunter2')).toBe(false);
  });

  it('fails with the wrong key and on tampered or short values', () => {
    const stored = createEncrypter(KEY).encrypt('hunter2');
    expect(() => createEncrypter('x'.repeat(32)).decrypt(stored)).toThrow(EncryptionError);
    const tampered = Buffer.from(stored);
    tampered[14] = tampered[14]! ^ 1;
    expect(() => createEncrypter(KEY).decrypt(tampered)).toThrow(EncryptionError);
    expect(() => createEncrypter(KEY).decrypt(Buffer.from('short'))).toThrow(/malformed ciphertext/);
  });

  it('stores plaintext bytes without a key', () => {
    for (const key of [undefined, '', Buffer.alloc(0)]) {
      const encrypter = createEncrypter(key);
      expect(encrypter.enabled).toBe(false);
      expect(encrypter.encrypt('hunter2').toString()).toBe('hunter2');
      expect(encrypter.decrypt(Buffer.from('hunter2'))).toBe('hunter2');
    }
  });

  it('refuses a key that is not 32 bytes, as Drone refuses to start', () => {
    expect(() => createEncrypter('x'.repeat(31))).toThrow('encryption key must be 32 bytes');
    expect(() => createEncrypter('x'.repeat(64))).toThrow(EncryptionError);
  });

  it('in mixed mode, reads values written before encryption was turned on', () => {
    const mixed = createEncrypter(KEY, { mixedMode: true });
    expect(mixed.decrypt(Buffer.from('legacy-plaintext-value-longer-than-28'))).toBe('legacy-plaintext-value-longer-than-28');
    expect(mixed.decrypt(Buffer.alloc(0))).toBe('');
    expect(mixed.decrypt(droneEncrypt(KEY, 'new'))).toBe('new');
  });
});
