import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MASK, Masker } from '../../../src/runner/mask.js';

/** What a step's shell prints for `script`, with the secret in $SECRET. */
function shell(script: string, secret: string): string {
  return execFileSync('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SECRET: secret }, encoding: 'utf8' });
}

/** The output masked line by line, as the runner's log writer masks it. */
function masked(masker: Masker, output: string): string {
  return output
    .split(/(?<=\n)/)
    .map((line) => masker.mask(line))
    .join('');
}

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

  describe('base64 forms of a secret', () => {
    const secret = 'hunter2-Sup3r?secret>!';

    it('masks the standard encoding of the value and of the value with echo\'s newline, with and without padding', () => {
      const masker = new Masker([secret]);
      const plain = Buffer.from(secret).toString('base64');
      const echoed = Buffer.from(`${secret}\n`).toString('base64');
      expect(plain).toMatch(/=$/);
      for (const encoded of [plain, plain.replace(/=+$/, ''), echoed, echoed.replace(/=+$/, '')]) {
        expect(masker.mask(`token: ${encoded}\n`), encoded).toBe(`token: ${MASK}\n`);
      }
    });

    it('masks the URL-safe encoding, with and without padding', () => {
      const masker = new Masker([secret]);
      const urlSafe = Buffer.from(secret).toString('base64url');
      expect(urlSafe).toMatch(/[-_]/);
      expect(masker.mask(`${urlSafe}\n`)).toBe(`${MASK}\n`);
      const padded = `${urlSafe}${'='.repeat((4 - (urlSafe.length % 4)) % 4)}`;
      expect(padded).toMatch(/=$/);
      expect(masker.mask(`${padded}\n`)).toBe(`${MASK}\n`);
    });

    it('masks what `echo $SECRET | base64`, `echo -n` and `printf %s` print in a shell', () => {
      const masker = new Masker([secret]);
      for (const script of ['echo $SECRET | base64', 'echo "$SECRET" | base64', 'echo -n "$SECRET" | base64', 'printf %s "$SECRET" | base64 | tr "+/" "-_"']) {
        const output = shell(script, secret);
        expect(output.trim(), script).not.toBe('');
        expect(masked(masker, output), script).toBe(`${MASK}\n`);
      }
    });

    it('masks every line of a long secret that base64 wraps at 76 columns', () => {
      const long = `-----BEGIN KEY-----\n${'k3yM4ter1al/+'.repeat(12)}\n-----END KEY-----`;
      const output = shell('echo "$SECRET" | base64', long);
      const lines = output.trimEnd().split('\n');
      expect(lines.length).toBeGreaterThan(2);
      const shown = masked(new Masker([long]), output).trimEnd().split('\n');
      // Every full line is masked; a last line too short to mask safely holds at most a few bytes.
      for (const [index, line] of shown.entries()) {
        if (lines[index].length >= 8) expect(line, `line ${index + 1}`).toBe(MASK);
      }
    });

    it('leaves the encodings of other text alone', () => {
      const masker = new Masker([secret]);
      const other = Buffer.from('an ordinary line\n').toString('base64');
      expect(masker.mask(`${other}\n`)).toBe(`${other}\n`);
    });

    it('does not encode values too short to mask', () => {
      const masker = new Masker(['x']);
      const encoded = Buffer.from('x\n').toString('base64');
      expect(masker.mask(`${encoded} x\n`)).toBe(`${encoded} x\n`);
    });
  });
});
