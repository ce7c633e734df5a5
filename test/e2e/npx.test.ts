// `npx hangar …` in a checkout, as the README tells a new user to run it: the command's output and nothing
// else (no npm warnings about the project's configuration burying it).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';

const run = promisify(execFile);

describe('npx hangar', () => {
  it('prints the version and nothing on stderr', async () => {
    const { stdout, stderr } = await run('npx', ['hangar', '--version'], { cwd: new URL('../..', import.meta.url).pathname });
    expect(stdout.trim()).toBe(VERSION);
    expect(stderr).toBe('');
  });
});
