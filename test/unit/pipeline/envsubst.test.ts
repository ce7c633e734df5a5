// `${VAR}` substitution: drone/envsubst v1.0.3's own expression table, and the rules users rely on.

import { describe, expect, it } from 'vitest';
import { substitute, substituteConfig, SubstitutionError } from '../../../src/pipeline/envsubst/index.js';

const table: Array<[Record<string, string>, string, string]> = [
  [{}, 'abcdEFGH28ij', 'abcdEFGH28ij'],
  [{ var01: 'abcdEFGH28ij' }, '${#var01}', '12'],
  [{ var01: 'abcdEFGH28ij' }, '${var01^}', 'AbcdEFGH28ij'],
  [{ var01: 'abcdEFGH28ij' }, '${var01^^}', 'ABCDEFGH28IJ'],
  [{ var01: 'ABCDEFGH28IJ' }, '${var01,}', 'aBCDEFGH28IJ'],
  [{ var01: 'ABCDEFGH28IJ' }, '${var01,,}', 'abcdefgh28ij'],
  [{ path_name: '/home/bozo/ideas/thoughts.for.today' }, '${path_name:11}', 'ideas/thoughts.for.today'],
  [{ path_name: '/home/bozo/ideas/thoughts.for.today' }, '${path_name:11:5}', 'ideas'],
  [{ var: 'abc' }, '${var=xyz}', 'abc'],
  [{}, '${var=xyz}', 'xyz'],
  [{ default_var: 'foo' }, 'something ${var=${default_var}}', 'something foo'],
  [{ default_var: 'foo1' }, 'foo: ${var=${default_var}-suffix}', 'foo: foo1-suffix'],
  [{ default_var: 'foo1' }, 'foo: ${var=prefix${default_var}-suffix}', 'foo: prefixfoo1-suffix'],
  [{}, '${var:=xyz}', 'xyz'],
  [{ stringZ: 'abcABC123ABCabc' }, '${stringZ/%abc/XYZ}', 'abcABC123ABCXYZ'],
  [{ stringZ: 'abcABC123ABCabc' }, '${stringZ/#abc/XYZ}', 'XYZABC123ABCabc'],
  [{ stringZ: 'abcABC123ABCabc' }, '${stringZ//abc/xyz}', 'xyzABC123ABCxyz'],
  [{ stringZ: 'abcABC123ABCabc' }, '${stringZ/abc/xyz}', 'xyzABC123ABCabc'],
  [{ filename: 'bash.string.txt' }, '${filename#*.}', 'string.txt'],
  [{ filename: 'path/to/file' }, '${filename#*/}', 'to/file'],
  [{ filename: '/path/to/file' }, '${filename#*/}', 'path/to/file'],
  [{ filename: 'bash.string.txt' }, '${filename##*.}', 'txt'],
  [{ filename: 'path/to/file' }, '${filename##*/}', 'file'],
  [{ filename: '/path/to/file' }, '${filename##*/}', 'file'],
  [{ filename: 'bash.string.txt' }, '${filename%.*}', 'bash.string'],
  [{ filename: 'bash.string.txt' }, '${filename%%.*}', 'bash'],
  [{ var01: 'abcdEFGH28ij' }, '${var=${var01^^}}', 'ABCDEFGH28IJ'],
  [{ var01: 'abcdEFGH28ij' }, '$${var01}', '${var01}'],
  [{ var01: 'abcdEFGH28ij' }, 'some text ${var01}$${var$${var01}$var01${var01}', 'some text abcdEFGH28ij${var${var01}$var01abcdEFGH28ij'],
  [{ default_var: 'foo' }, 'something $${var=${default_var}}', 'something ${var=foo}'],
  [{ stringZ: 'foo/bar' }, '${stringZ/\\//-}', 'foo-bar'],
  [{ stringZ: 'foo/bar/baz' }, '${stringZ//\\//-}', 'foo-bar-baz'],
  [{ stringZ: 'foo.bar' }, '${stringZ/./}', 'foobar'],
];

describe('envsubst v1.0.3 table', () => {
  for (const [params, input, output] of table) {
    it(`${input} → ${output}`, () => expect(substitute(input, (name) => params[name] ?? '')).toBe(output));
  }
});

describe('rules users rely on', () => {
  it('leaves a bare $VAR alone', () => {
    expect(substituteConfig('echo $HOME and ${DRONE_BRANCH}', { HOME: '/x', DRONE_BRANCH: 'main' })).toBe('echo $HOME and main');
  });
  it('turns $$ into $ so commands can reach the shell', () => {
    expect(substituteConfig('echo $${DRONE_BRANCH} $$HOME', { DRONE_BRANCH: 'main' })).toBe('echo ${DRONE_BRANCH} $HOME');
  });
  it('makes unknown variables empty', () => {
    expect(substituteConfig('a${NOPE}b', {})).toBe('ab');
  });
  it('inserts values with newlines Go-quoted so YAML keeps its shape', () => {
    expect(substituteConfig('message: ${DRONE_COMMIT_MESSAGE}', { DRONE_COMMIT_MESSAGE: 'fix "it"\nsecond line' })).toBe(
      'message: "fix \\"it\\"\\nsecond line"',
    );
  });
  it('drops a backslash before / or \\ even outside ${} (envsubst v1.0.3)', () => {
    expect(substituteConfig('sed s/a\\/b/ c:\\\\path', {})).toBe('sed s/a/b/ c:\\path');
  });
  it('keeps other backslashes', () => {
    expect(substituteConfig('echo \\n \\$', {})).toBe('echo \\n \\$');
  });
  it('reports bad syntax with envsubst\'s message', () => {
    expect(() => substituteConfig('${}', {})).toThrow(SubstitutionError);
    expect(() => substituteConfig('${A', {})).toThrow('missing closing brace');
    expect(() => substituteConfig('${A:1', {})).toThrow(SubstitutionError);
  });
  it('handles a large file with many escapes quickly', () => {
    const text = 'echo $$HOME ${X}\n'.repeat(50_000);
    const started = Date.now();
    const out = substituteConfig(text, { X: 'y' });
    expect(out).toBe('echo $HOME y\n'.repeat(50_000));
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
