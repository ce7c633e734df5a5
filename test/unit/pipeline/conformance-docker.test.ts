// The docker runner's compiler goldens (drone-runner-docker engine/compiler/testdata). As in Drone's own
// test, ids are "random" and environment, secrets and labels are compared separately.

import { describe, expect, it } from 'vitest';
import { compileDockerStage } from '../../../src/pipeline/index.js';
import { conformanceFiles, makeBuild, makeDetails, makeRepo, makeStage, omitEmpty, readConformance } from './support/fixtures.js';

const DIR = 'runner-docker/compiler';

function compile(file: string, overrides: Parameters<typeof makeDetails>[0] = {}, edit: (yaml: string) => string = (y) => y) {
  const details = makeDetails({
    build: makeBuild({ target: 'master' }),
    stage: makeStage({ type: 'docker' }),
    netrc: { machine: 'github.com', login: 'octocat', password: 'correct-horse-battery-staple' },
    ...overrides,
  });
  return compileDockerStage({
    config: edit(readConformance(DIR, file)),
    details,
    environ: {},
    randomId: () => 'random',
    runner: { secrets: { token: '3DA541559918A808C2402BBA5012F6C60B27661C', password: 'password', my_username: 'octocat' } },
  });
}

// Go's zero values for the enum-like fields, which its JSON omits.
const DEFAULTS: Record<string, string> = { run_policy: 'on-success', err_policy: 'fail', pull: 'default' };

function comparable(spec: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(spec)) as {
    steps: Array<Record<string, unknown>>;
    network: Record<string, unknown>;
    volumes: Array<{ temp?: Record<string, unknown> }>;
  };
  for (const step of copy.steps) {
    delete step.environment;
    delete step.secrets;
    delete step.labels;
    for (const [key, zero] of Object.entries(DEFAULTS)) if (step[key] === zero) delete step[key];
  }
  delete copy.network.labels;
  for (const v of copy.volumes) if (v.temp) delete v.temp.labels;
  return omitEmpty(copy);
}

describe('docker compiler goldens', () => {
  const goldens = conformanceFiles(DIR, '.json');
  it('has golden files to compare with', () => expect(goldens.length).toBeGreaterThanOrEqual(7));
  for (const golden of goldens) {
    it(`compiles ${golden.replace('.json', '.yml')} like drone-runner-docker`, () => {
      const result = compile(golden.replace('.json', '.yml'));
      if (!result.ok) throw new Error(result.error);
      expect(comparable(result.spec)).toEqual(comparable(JSON.parse(readConformance(DIR, golden))));
    });
  }

  it('resolves secrets and masks their values in every step (secret.yml)', () => {
    // Drone's test compiles without linting; secret.yml has no image, which the linter would refuse
    const result = compile('secret.yml', {}, (yaml) => yaml.replace('- name: build\n', '- name: build\n  image: golang\n'));
    if (!result.ok) throw new Error(result.error);
    const secrets = result.spec.steps[0].secrets;
    expect(secrets).toEqual(
      expect.arrayContaining([
        { name: 'my_password', env: 'PASSWORD', data: '', mask: true },
        { name: 'my_username', env: 'USERNAME', data: 'octocat', mask: true },
        { data: 'octocat', mask: true },
      ]),
    );
  });

  it('labels every step with its number and name (steps.yml)', () => {
    const result = compileDockerStage({
      config: readConformance(DIR, 'steps.yml'),
      details: makeDetails({
        repository: makeRepo({ name: 'repo-name', namespace: 'repo-namespace', slug: 'repo-slug', timeout: 0 }),
        build: makeBuild({ number: 42 }),
        stage: makeStage({ name: 'default', number: 1, type: 'docker' }),
        system: { host: 'drone.example.com', proto: 'https', version: '1.0.0', link: '' },
      }),
      environ: {},
      runner: { labels: { foo: 'bar' } },
    });
    if (!result.ok) throw new Error(result.error);
    const labels = result.spec.steps.map((s) => {
      const { ['io.drone.created']: created, ['io.drone.expires']: expires, ...rest } = s.labels;
      expect(Number(created)).toBeGreaterThan(0);
      expect(Number(expires)).toBeGreaterThan(0);
      return rest;
    });
    const common = {
      foo: 'bar',
      'io.drone': 'true',
      'io.drone.build.number': '42',
      'io.drone.protected': 'false',
      'io.drone.repo.name': 'repo-name',
      'io.drone.repo.namespace': 'repo-namespace',
      'io.drone.repo.slug': 'repo-slug',
      'io.drone.stage.name': 'default',
      'io.drone.stage.number': '1',
      'io.drone.system.host': 'drone.example.com',
      'io.drone.system.proto': 'https',
      'io.drone.system.version': '1.0.0',
      'io.drone.ttl': '0s',
    };
    expect(labels).toEqual([
      { ...common, 'io.drone.step.name': 'build', 'io.drone.step.number': '1' },
      { ...common, 'io.drone.step.name': 'test', 'io.drone.step.number': '2' },
    ]);
  });
});
