// The doublestar-v1 matcher against bmatcuk/doublestar v1.1.1's own match table, plus the cases Drone
// users meet in branch/ref conditions.

import { describe, expect, it } from 'vitest';
import { BadPatternError, globMatch, matchPath } from '../../../src/pipeline/conditions/glob.js';

// [pattern, name, matches, error]
const doublestarTable: Array<[string, string, boolean, boolean?]> = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', false, true],
  ['[-]', '-', false, true],
  ['[x-]', 'x', false, true],
  ['[x-]', '-', false, true],
  ['[x-]', 'z', false, true],
  ['[-x]', 'x', false, true],
  ['[-x]', '-', false, true],
  ['[-x]', 'a', false, true],
  ['\\', 'a', false, true],
  ['[a-b-c]', 'a', false, true],
  ['[', 'a', false, true],
  ['[^', 'a', false, true],
  ['[^bc', 'a', false, true],
  ['a[', 'a', false],
  ['a[', 'ab', false, true],
  ['*x', 'xxx', true],
  ['[abc]', 'b', true],
  ['a/**', 'a', false],
  ['a/**', 'a/b', true],
  ['a/**', 'a/b/c', true],
  ['**/c', 'c', true],
  ['**/c', 'b/c', true],
  ['**/c', 'a/b/c', true],
  ['**/c', 'a/b', false],
  ['**/c', 'abcd', false],
  ['**/c', 'a/abc', false],
  ['a/**/b', 'a/b', true],
  ['a/**/c', 'a/b/c', true],
  ['a/**/d', 'a/b/c/d', true],
  ['a/\\**', 'a/b/c', false],
  ['ab{c,d}', 'abc', true],
  ['ab{c,d,*}', 'abcde', true],
  ['ab{c,d}[', 'abcd', false, true],
  ['abc/**', 'abc/b', true],
  ['**/abc', 'abc', true],
  ['abc**', 'abc/b', false],
];

describe('doublestar v1.1.1 match table', () => {
  for (const [pattern, name, matches, error] of doublestarTable) {
    it(`${pattern} vs ${name} → ${error ? 'bad pattern' : matches}`, () => {
      if (error) {
        expect(() => matchPath(pattern, name)).toThrow(BadPatternError);
        expect(globMatch(pattern, name)).toBe(false);
      } else {
        expect(globMatch(pattern, name)).toBe(matches);
      }
    });
  }
});

describe('patterns Drone users write', () => {
  const cases: Array<[string, string, boolean]> = [
    ['feature/*', 'feature/login', true],
    ['feature/*', 'feature/a/b', false],
    ['feature/**', 'feature/a/b', true],
    ['feature/**', 'feature', false],
    ['refs/tags/v*', 'refs/tags/v1.0.0', true],
    ['refs/tags/*', 'refs/tags/release/1', false],
    ['refs/heads/{main,develop}', 'refs/heads/develop', true],
    ['release-[0-9]*', 'release-2024', true],
    ['*', '', true],
    ['main', '', false],
    ['', '', true],
    ['main/', 'main', true],
    ['octocat/*', 'octocat/hello-world', true],
  ];
  for (const [pattern, name, matches] of cases) {
    it(`${pattern} vs ${JSON.stringify(name)} → ${matches}`, () => expect(globMatch(pattern, name)).toBe(matches));
  }
});
