// The runner protocol's `X-Drone-Token` check (DESIGN §3a), in constant time. Both the token sent and the
// RPC secret are hashed (HMAC-SHA256 under a key made at start) to 32-byte digests, and the digests are
// compared with timingSafeEqual: how long the answer takes says nothing about how many leading characters
// were right, nor how long the secret is (a plain timingSafeEqual throws on, and a length check returns
// early for, a token of another length).

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY = randomBytes(32);

function digest(text: string): Buffer {
  return createHmac('sha256', KEY).update(text, 'utf8').digest();
}

/** The secret's digest, kept: the secret is the same on every request. */
let expectedDigest: { text: string; digest: Buffer } | undefined;

function digestOfExpected(expected: string): Buffer {
  if (expectedDigest?.text !== expected) expectedDigest = { text: expected, digest: digest(expected) };
  return expectedDigest.digest;
}

/** Whether `given` equals `expected`, in a time that depends on neither's content nor `expected`'s length. */
export function constantTimeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digestOfExpected(expected));
}

/** Whether the `X-Drone-Token` header (the first, when repeated) is the RPC secret. An empty secret matches nothing. */
export function rpcTokenMatches(header: string | string[] | undefined, secret: string): boolean {
  const given = Array.isArray(header) ? (header[0] ?? '') : (header ?? '');
  const equal = constantTimeEqual(given, secret);
  return equal && secret !== '';
}
