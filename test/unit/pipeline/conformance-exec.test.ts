// The exec runner's compiler goldens (drone-runner-exec engine/compiler/testdata): the same YAML must give
// the same plan — steps, order, dependencies, run policies, files, scripts. Like Drone's own test, the
// environment and secrets are compared separately (below), not against the golden files.

import { describe, expect, it } from 'vitest';
import { compileExecStage } from '../../../src/pipeline/index.js';
import { RunPolicy } from '../../../src/pipeline/spec.js';
import { conformanceFiles, makeBuild, makeDetails, omitEmpty, readConformance } from './support/fixtures.js';

const DIR = 'runner-exec/compiler';

function compile(file: string, overrides: Parameters<typeof makeDetails>[0] = {}) {
  const details = makeDetails({
    build: makeBuild({ target: 'master' }),
    netrc: { machine: 'github.com', login: 'octocat', password: 'correct-horse-battery-staple' },
    ...overrides,
  });
  return compileExecStage({ config: readConformance(DIR, file), details, root: '/tmp/drone-random', environ: {}, hostEnv: {} });
}

function withoutEnvAndSecrets(spec: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(spec)) as { steps: Array<Record<string, unknown>> };
  for (const step of copy.steps) {
    delete step.environment;
    delete step.secrets;
  }
  return omitEmpty(copy);
}

describe('exec compiler goldens', () => {
  const goldens = conformanceFiles(DIR, '.json');
  it('has golden files to compare with', () => {
    expect(goldens.length).toBeGreaterThanOrEqual(6);
  });
  for (const golden of goldens) {
    it(`compiles ${golden.replace('.json', '.yml')} like drone-runner-exec`, () => {
      const result = compile(golden.replace('.json', '.yml'));
      if (!result.ok) throw new Error(result.error);
      const want = withoutEnvAndSecrets(JSON.parse(readConformance(DIR, golden)));
      expect(withoutEnvAndSecrets(result.spec)).toEqual(want);
    });
  }

  it('resolves from_secret values into masked secrets (secret.yml)', () => {
    const result = compile('secret.yml', {
      secrets: [{ name: 'my_username', data: 'octocat', pull_request: false }],
    });
    if (!result.ok) throw new Error(result.error);
    const secrets = result.spec.steps[0].secrets;
    expect(secrets).toEqual(
      expect.arrayContaining([
        { name: 'my_password', env: 'PASSWORD', data: '', mask: true },
        { name: 'my_username', env: 'USERNAME', data: 'octocat', mask: true },
      ]),
    );
    expect(secrets).toHaveLength(2);
  });

  it('skips steps whose when does not match (match.yml) with run policy never', () => {
    const result = compile('match.yml');
    if (!result.ok) throw new Error(result.error);
    expect(result.spec.steps.map((s) => s.run_policy)).toEqual([RunPolicy.OnSuccess, RunPolicy.Never]);
  });
});
