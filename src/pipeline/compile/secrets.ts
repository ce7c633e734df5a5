// Where `from_secret` values come from at compile time (runner-go secret providers), first non-empty wins:
//   1. the server's secrets sent with the stage (name case-insensitive; hidden from pull requests unless
//      the secret allows them);
//   2. encrypted `kind: secret` documents of the file, decrypted with the repository's key (AES-256-GCM,
//      nonce first), except for pull requests from forks of public repositories;
//   3. the runner's own static secrets, if any.
// `encryptSecret` makes the values of step 2 (the server's encrypt API).

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Build, Repo, Secret } from '../../core/types.js';
import type { SecretDocument } from '../manifest/types.js';

export interface SecretSources {
  server: Secret[];
  documents: SecretDocument[];
  repo: Repo & { secret?: string };
  build: Build;
  /** Runner-level secrets (name → value), looked up last. */
  runner?: Record<string, string>;
}

export function findSecret(sources: SecretSources, name: string): string | undefined {
  if (name === '') return undefined;
  const isPullRequest = sources.build.event === 'pull_request';
  for (const secret of sources.server) {
    if (secret.name.toLowerCase() !== name.toLowerCase()) continue;
    if (!secret.pull_request && isPullRequest) continue;
    if (secret.data) return secret.data;
    break;
  }
  const encrypted = sources.documents.find((doc) => doc.name === name && doc.data !== '');
  if (encrypted && !(sources.repo.private === false && isPullRequest && sources.build.source_repo)) {
    const value = decryptSecret(encrypted.data, sources.repo.secret ?? '');
    if (value === undefined) return undefined; // Drone stops the lookup on a decryption error
    if (value !== '') return value;
  }
  if (sources.runner) {
    for (const key of Object.keys(sources.runner)) {
      if (key.toLowerCase() === name.toLowerCase() && !isPullRequest && sources.runner[key] !== '') return sources.runner[key];
    }
  }
  return undefined;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** AES-GCM with the repository secret's bytes as the key: AES-128/192/256 as Go's aes.NewCipher picks. */
function gcmAlgorithm(keyBytes: Buffer): 'aes-256-gcm' | undefined {
  return [16, 24, 32].includes(keyBytes.length) ? (`aes-${keyBytes.length * 8}-gcm` as 'aes-256-gcm') : undefined;
}

/**
 * A `kind: secret` value for `plaintext` (Drone's encrypt API): base64 of nonce ‖ ciphertext ‖ tag, keyed
 * with the repository secret; undefined when that secret cannot be an AES key.
 */
export function encryptSecret(plaintext: string, key: string): string | undefined {
  const keyBytes = Buffer.from(key, 'utf8');
  const algorithm = gcmAlgorithm(keyBytes);
  if (!algorithm) return undefined;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(algorithm, keyBytes, nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64');
}

/** Decrypts a `kind: secret` value (base64 of nonce ‖ ciphertext ‖ tag); undefined when it cannot. */
export function decryptSecret(data: string, key: string): string | undefined {
  try {
    const raw = Buffer.from(data, 'base64');
    const keyBytes = Buffer.from(key, 'utf8');
    const algorithm = gcmAlgorithm(keyBytes);
    if (!algorithm || raw.length < NONCE_BYTES + TAG_BYTES) return undefined;
    const nonce = raw.subarray(0, NONCE_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const ciphertext = raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES);
    const decipher = createDecipheriv(algorithm, keyBytes, nonce);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
