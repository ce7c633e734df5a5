import { describe, expect, it } from 'vitest';
import { MASK, Masker } from '../../../src/runner/mask.js';

describe('secret masking', () => {
  it('replaces every occurrence of every secret', () => {
    const masker = new Masker(['hunter2', 'tok-123']);
    expect(masker.mask('login hunter2 with tok-123, again hunter2\n')).toBe(`login ${MASK} with ${MASK}, again ${MASK}\n`);
  });

  it('masks each line of a multi-line secret and skips parts shorter than two characters', () => {
    const masker = new Masker(['-----BEGIN KEY-----\nabcdef\nx\n-----END KEY-----']);
    expect(masker.mask('-----BEGIN KEY-----\n')).toBe(`${MASK}\n`);
    expect(masker.mask('abcdef\n')).toBe(`${MASK}\n`);
    expect(masker.mask('x marks the spot\n')).toBe('x marks the spot\n');
  });

  it('masks the longer of two overlapping secrets whole', () => {
    const masker = new Masker(['abc', 'abcdef']);
    expect(masker.mask('abcdef abc')).toBe(`${MASK} ${MASK}`);
  });

  it('treats regular-expression characters in secrets literally', () => {
    const masker = new Masker(['a.b*c(d)']);
    expect(masker.mask('a.b*c(d) aXbbc')).toBe(`${MASK} aXbbc`);
  });

  it('changes nothing without secrets', () => {
    expect(new Masker([]).mask('plain text\n')).toBe('plain text\n');
  });
});
