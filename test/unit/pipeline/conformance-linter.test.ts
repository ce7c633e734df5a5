// Linter conformance: the files of drone-runner-docker's and drone-yaml's linter testdata, accepted or
// rejected as each Drone component does. Expected outcomes come from those projects' test tables; files
// their tables do not list are classified by reading the linters' code (noted per case).

import { describe, expect, it } from 'vitest';
import { lintConfig, planBuild } from '../../../src/pipeline/index.js';
import { lintDockerParse, lintDockerPipeline } from '../../../src/pipeline/lint/docker.js';
import { lintContainers, lintManifest } from '../../../src/pipeline/lint/server.js';
import { parseManifest } from '../../../src/pipeline/manifest/parse.js';
import { conformanceFiles, readConformance } from './support/fixtures.js';

/** undefined = accepted; a string = Drone's error message, which ours must start with. */
type Outcome = string | undefined;
interface Expectation {
  untrusted: Outcome;
  trusted?: Outcome;
}

const untrustedOnly = (message: string): Expectation => ({ untrusted: message, trusted: undefined });
const always = (message: string): Expectation => ({ untrusted: message, trusted: message });
const accepted: Expectation = { untrusted: undefined, trusted: undefined };

// drone-runner-docker: the runner's parser checks, then its linter on the first pipeline.
const runnerDocker: Record<string, Expectation> = {
  'duplicate_name.yml': accepted, // pipeline names are the server's concern
  'duplicate_step.yml': always('Linter: duplicate step name'),
  'duplicate_step_service.yml': always('linter: duplicate step names'),
  'invalid_arch.yml': accepted, // platforms are the server's concern
  'invalid_os.yml': accepted,
  'missing_build_image.yml': always('linter: invalid or missing image'), // `build` is unknown to the runner
  'missing_dep.yml': always('linter: unknown step dependency detected: test references foo'),
  'missing_image.yml': always('linter: invalid or missing image'),
  'missing_name.yml': always('Linter: invalid or missing step name'),
  'pipeline_device.yml': untrustedOnly('linter: untrusted repositories cannot mount devices'),
  'pipeline_dns.yml': untrustedOnly('linter: untrusted repositories cannot configure dns'),
  'pipeline_dns_search.yml': untrustedOnly('linter: untrusted repositories cannot configure dns_search'),
  'pipeline_extra_hosts.yml': untrustedOnly('linter: untrusted repositories cannot configure extra_hosts'),
  'pipeline_network_mode.yml': untrustedOnly('linter: untrusted repositories cannot configure network_mode'),
  'pipeline_port_host.yml': accepted, // the runner ignores ports
  'pipeline_privileged.yml': untrustedOnly('linter: untrusted repositories cannot enable privileged mode'),
  'pipeline_volume_invalid_name.yml': always('linter: invalid volume name: _docker_socket'),
  'service_device.yml': untrustedOnly('linter: untrusted repositories cannot mount devices'),
  'service_port_host.yml': accepted,
  'simple.yml': accepted,
  'volume_empty_dir.yml': accepted,
  'volume_empty_dir_memory.yml': untrustedOnly('linter: untrusted repositories cannot mount in-memory volumes'),
  'volume_host_path.yml': untrustedOnly('linter: untrusted repositories cannot mount host volumes'),
  'volume_invalid_name.yml': always('linter: invalid volume name: _workspace'),
  'volume_missing_name.yml': always('linter: missing volume name'),
  'volume_restricted.yml': always('linter: cannot mount volume at /run/drone'),
};

// drone-yaml: manifest rules plus its per-pipeline linter on the first document.
const droneYaml: Record<string, Expectation> = {
  'duplicate_name.yml': always('linter: duplicate pipeline names'),
  'duplicate_step.yml': always('linter: duplicate step names'),
  'duplicate_step_service.yml': always('linter: duplicate step names'),
  // drone-yaml's table still expects s390x to fail, but its linter accepts it since "add s390x and ppc64le"
  'invalid_arch.yml': accepted,
  'invalid_os.yml': always('linter: unsupported os: openbsd'),
  'missing_build_image.yml': always('linter: invalid or missing build image'),
  'missing_dep.yml': always('linter: invalid or unknown pipeline dependency'),
  'missing_image.yml': always('linter: invalid or missing image'),
  'missing_name.yml': always('linter: invalid or missing name'),
  'pipeline_device.yml': untrustedOnly('linter: untrusted repositories cannot mount devices'),
  'pipeline_dns.yml': untrustedOnly('linter: untrusted repositories cannot configure dns'),
  'pipeline_dns_search.yml': untrustedOnly('linter: untrusted repositories cannot configure dns_search'),
  'pipeline_extra_hosts.yml': untrustedOnly('linter: untrusted repositories cannot configure extra_hosts'),
  'pipeline_network_mode.yml': untrustedOnly('linter: untrusted repositories cannot configure network_mode'),
  'pipeline_port_host.yml': untrustedOnly('linter: untrusted repositories cannot map to a host port'),
  'pipeline_privileged.yml': untrustedOnly('linter: untrusted repositories cannot enable privileged mode'),
  'pipeline_volume_invalid_name.yml': always('linter: invalid volume name: _docker_socket'),
  'service_device.yml': untrustedOnly('linter: untrusted repositories cannot mount devices'),
  'service_port_host.yml': untrustedOnly('linter: untrusted repositories cannot map to a host port'),
  'simple.yml': accepted,
  'volume_empty_dir.yml': accepted,
  'volume_empty_dir_memory.yml': untrustedOnly('linter: untrusted repositories cannot mount in-memory volumes'),
  'volume_host_path.yml': untrustedOnly('linter: untrusted repositories cannot mount host volumes'),
  'volume_invalid_name.yml': always('linter: invalid volume name: _workspace'),
};

// What the server's trigger does with each drone-yaml file (manifest rules only).
const serverRejects: Record<string, string> = {
  'duplicate_name.yml': 'linter: duplicate pipeline names',
  'invalid_os.yml': 'linter: unsupported os: openbsd',
  'missing_dep.yml': 'linter: invalid or unknown pipeline dependency',
};

function runnerDockerOutcome(source: string, trusted: boolean): Outcome {
  const parsed = parseManifest(source, 'docker');
  if (!parsed.ok) return parsed.errors[0].message;
  const parseErrors = parsed.manifest.pipelines.flatMap(lintDockerParse);
  if (parseErrors.length > 0) return parseErrors[0].message;
  return lintDockerPipeline(parsed.manifest.pipelines[0], trusted)[0]?.message;
}

function droneYamlOutcome(source: string, trusted: boolean): Outcome {
  const parsed = parseManifest(source, 'server');
  if (!parsed.ok) return parsed.errors[0].message;
  const first = lintContainers(parsed.manifest.pipelines[0], trusted)[0] ?? lintManifest(parsed.manifest.pipelines)[0];
  return first?.message;
}

function check(outcome: Outcome, expected: Outcome) {
  if (expected === undefined) expect(outcome).toBeUndefined();
  else expect(outcome?.startsWith(expected), `got ${outcome}`).toBe(true);
}

describe('runner-docker linter testdata', () => {
  const files = conformanceFiles('runner-docker/linter', '.yml');
  it('classifies every file', () => expect(files.sort()).toEqual(Object.keys(runnerDocker).sort()));
  for (const file of files) {
    const expected = runnerDocker[file];
    for (const trusted of [false, true]) {
      const want = trusted ? expected.trusted : expected.untrusted;
      it(`${file}${trusted ? ' (trusted)' : ''}: ${want ?? 'accepted'}`, () => {
        check(runnerDockerOutcome(readConformance('runner-docker/linter', file), trusted), want);
      });
    }
  }
});

describe('drone-yaml linter testdata', () => {
  const files = conformanceFiles('drone-yaml/linter', '.yml');
  it('classifies every file', () => expect(files.sort()).toEqual(Object.keys(droneYaml).sort()));
  for (const file of files) {
    const expected = droneYaml[file];
    for (const trusted of [false, true]) {
      const want = trusted ? expected.trusted : expected.untrusted;
      it(`${file}${trusted ? ' (trusted)' : ''}: ${want ?? 'accepted'}`, () => {
        check(droneYamlOutcome(readConformance('drone-yaml/linter', file), trusted), want);
      });
    }
    it(`${file}: the server trigger ${serverRejects[file] ? 'rejects it' : 'accepts it'}`, async () => {
      const result = await planBuild({
        path: '.drone.yml',
        data: readConformance('drone-yaml/linter', file),
        trusted: false,
        trigger: { event: 'push', action: '', branch: 'main', ref: 'refs/heads/main', repo: 'o/r', target: '', cron: '' },
      });
      if (serverRejects[file]) expect(result).toMatchObject({ ok: false, error: expect.stringContaining(serverRejects[file]) });
      else expect(result.ok).toBe(true);
    });
  }
});

describe('lintConfig (hangar lint)', () => {
  it('reports every problem with its position, in file order', () => {
    const yaml = [
      'kind: pipeline',
      'name: a',
      'steps:',
      '- name: one',
      '  privileged: true',
      '- name: two',
      '  image: alpine',
      '  depends_on: [nope]',
      '---',
      'kind: pipeline',
      'type: exec',
      'name: b',
      'steps:',
      '- name: x',
      '  image: alpine',
      '',
    ].join('\n');
    const errors = lintConfig(yaml, { trusted: false });
    expect(errors.map((e) => [e.position?.line, e.message])).toEqual([
      [4, 'linter: invalid or missing image'],
      [5, 'linter: untrusted repositories cannot enable privileged mode'],
      [8, 'linter: unknown step dependency detected: two references nope'],
      [15, 'Linter: cannot define images for an exec pipeline'],
    ]);
  });

  it('accepts the same file for a trusted repository except the real mistakes', () => {
    const errors = lintConfig('kind: pipeline\nsteps:\n- name: a\n  image: alpine\n  privileged: true\n', { trusted: true });
    expect(errors).toEqual([]);
  });

  it('finds cycles in exec pipelines', () => {
    const errors = lintConfig('kind: pipeline\ntype: exec\nsteps:\n- name: a\n  depends_on: [b]\n- name: b\n  depends_on: [a]\n', { trusted: false });
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('dependency cycle detected: a -> b -> a')]);
  });

  it('warns about lines too long for Drone', () => {
    const errors = lintConfig(`kind: pipeline\n# ${'x'.repeat(70_000)}\nname: lost\n`, { trusted: false });
    expect(errors[0]).toMatchObject({ position: { line: 2 }, message: expect.stringContaining('64 KiB') });
  });
});
