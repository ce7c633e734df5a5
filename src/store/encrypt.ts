// Drone's secret encryption (store/shared/encrypt): AES-256-GCM keyed with the literal 32 bytes of
// DRONE_DATABASE_SECRET, stored raw as nonce(12) ‖ ciphertext ‖ tag(16), no additional data. Without a
// key, values are stored and read as plaintext bytes, as Drone does.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class EncryptionError extends Error {
  override name = 'EncryptionError';
}

/** Turns secret values into the bytes stored in `secret_data` and back. */
export interface Encrypter {
  /** Whether values are really encrypted (a key is set). */
  readonly enabled: boolean;
  encrypt(plaintext: string): Buffer;
  /** Throws EncryptionError on a value that does not decrypt, unless mixed mode is on. */
  decrypt(stored: Buffer): string;
}

export interface EncrypterOptions {
  /**
   * DRONE_DATABASE_ENCRYPT_MIXED_MODE: a value that does not decrypt (written before encryption was
   * turned on) is returned as plaintext instead of failing the read.
   */
  mixedMode?: boolean;
}

/**
 * An encrypter for DRONE_DATABASE_SECRET. No key (undefined or empty): plaintext bytes. A key of any
 * other length than 32 bytes is refused, as Drone refuses to start with it.
 */
export function createEncrypter(key: Buffer | string | undefined, options: EncrypterOptions = {}): Encrypter {
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (keyBytes === undefined || keyBytes.length === 0) return plaintextEncrypter;
  if (keyBytes.length !== KEY_BYTES) throw new EncryptionError('encryption key must be 32 bytes');
  const aes = aesGcm(Buffer.from(keyBytes));
  if (!options.mixedMode) return aes;
  return {
    enabled: true,
    encrypt: aes.encrypt,
    decrypt(stored) {
      try {
        return aes.decrypt(stored);
      } catch {
        return stored.toString('utf8');
      }
    },
  };
}

const plaintextEncrypter: Encrypter = {
  enabled: false,
  encrypt: (plaintext) => Buffer.from(plaintext, 'utf8'),
  decrypt: (stored) => stored.toString('utf8'),
};

function aesGcm(key: Buffer): Encrypter {
  return {
    enabled: true,
    encrypt(plaintext) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([nonce, body, cipher.getAuthTag()]);
    },
    decrypt(stored) {
      if (stored.length < NONCE_BYTES + TAG_BYTES) throw new EncryptionError('malformed ciphertext');
      const nonce = stored.subarray(0, NONCE_BYTES);
      const tag = stored.subarray(stored.length - TAG_BYTES);
      const body = stored.subarray(NONCE_BYTES, stored.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        throw new EncryptionError('cipher: message authentication failed');
      }
    },
  };
}
