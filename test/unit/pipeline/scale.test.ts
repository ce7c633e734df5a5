// Large configurations: a file of 10,000 steps, well within the size limit, is answered by every entry
// point in reasonable time (everything is linear in the size of the file).

import { describe, expect, it } from 'vitest';
import { compileDockerStage, compileExecStage, lintConfig } from '../../../src/pipeline/index.js';
import { makeDetails, makeStage } from './support/fixtures.js';

const STEPS = 10_000;

function pipeline(type: 'exec' | 'docker'): string {
  const image = type === 'docker' ? '  image: alpine\n' : '';
  const steps = Array.from({ length: STEPS }, (_, i) => `- name: s${i}\n${image}  commands: [echo ${i}]\n${i > 0 ? `  depends_on: [s${i - 1}]\n` : ''}`).join('');
  return `kind: pipeline\ntype: ${type}\nname: default\nsteps:\n${steps}`;
}

describe(`a pipeline of ${STEPS} steps`, () => {
  it('compiles for the exec runner', () => {
    const result = compileExecStage({ config: pipeline('exec'), details: makeDetails(), root: '/tmp/r', environ: {}, hostEnv: {} });
    expect(result.ok && result.spec.steps.length).toBe(STEPS + 1);
  }, 120_000);

  it('compiles for the docker runner', () => {
    const result = compileDockerStage({ config: pipeline('docker'), details: makeDetails({ stage: makeStage({ type: 'docker' }) }), environ: {} });
    expect(result.ok && result.spec.steps.length).toBe(STEPS + 1);
  }, 120_000);

  it('lints', () => {
    expect(lintConfig(pipeline('docker'), { trusted: false })).toEqual([]);
  }, 120_000);
});
