// The RPC token check compares fixed-length digests through crypto.timingSafeEqual, whatever the lengths
// of the token sent and the secret: its answers are right, and no answer comes from an early length check.

import { beforeEach, describe, expect, it, vi } from 'vitest';

const seen = vi.hoisted(() => [] as Array<[number, number]>);

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      seen.push([a.byteLength, b.byteLength]);
      return actual.timingSafeEqual(a, b);
    },
  };
});

const { constantTimeEqual, rpcTokenMatches } = await import('../../../src/server/auth/rpc-token.js');

const SECRET = 'rpc-secret-0123456789abcdef';

describe('the RPC token check', () => {
  beforeEach(() => {
    seen.length = 0;
  });

  it.each([
    ['the secret', SECRET, true],
    ['a wrong token of the same length', 'rpc-secret-0123456789abcdeX', false],
    ['a prefix', SECRET.slice(0, 10), false],
    ['a longer token', `${SECRET}0`, false],
    ['an empty token', '', false],
    ['the secret in another case', SECRET.toUpperCase(), false],
  ])('answers %s with %s, through timingSafeEqual on two 32-byte digests', (_what, token, expected) => {
    expect(rpcTokenMatches(token, SECRET)).toBe(expected);
    expect(seen).toEqual([[32, 32]]);
  });

  it('reads the first of repeated headers, and refuses a missing one', () => {
    expect(rpcTokenMatches([SECRET, 'other'], SECRET)).toBe(true);
    expect(rpcTokenMatches(['other', SECRET], SECRET)).toBe(false);
    expect(rpcTokenMatches(undefined, SECRET)).toBe(false);
    expect(rpcTokenMatches([], SECRET)).toBe(false);
    expect(seen).toHaveLength(4);
    expect(seen.every(([a, b]) => a === 32 && b === 32)).toBe(true);
  });

  it('lets nothing match an empty secret', () => {
    expect(rpcTokenMatches('', '')).toBe(false);
    expect(rpcTokenMatches(undefined, '')).toBe(false);
  });

  it('compares strings of any lengths without throwing', () => {
    expect(constantTimeEqual('a', 'a')).toBe(true);
    expect(constantTimeEqual('a', 'ab')).toBe(false);
    expect(constantTimeEqual('x'.repeat(10_000), 'x'.repeat(10_000))).toBe(true);
    expect(constantTimeEqual('é', 'e\u0301')).toBe(false);
    expect(seen).toEqual([[32, 32], [32, 32], [32, 32], [32, 32]]);
  });
});
