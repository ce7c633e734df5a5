// How configuration text becomes the model, following go-yaml v2 as Drone uses it: document splitting,
// YAML 1.1 scalars, merge keys, type errors with positions.

import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/pipeline/manifest/parse.js';
import { splitDocuments } from '../../../src/pipeline/yaml/split.js';

function docker(yaml: string) {
  const result = parseManifest(yaml, 'docker');
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.position?.line}:${e.position?.column} ${e.message}`).join('\n'));
  return result.manifest;
}

function errors(yaml: string, reader: 'server' | 'docker' | 'exec' = 'docker') {
  const result = parseManifest(yaml, reader);
  return result.ok ? [] : result.errors.map((e) => `${e.position?.line}:${e.position?.column} ${e.message}`);
}

describe('document splitting', () => {
  it('splits on lines starting with --- and stops at ...', () => {
    const split = splitDocuments('a: 1\n---\nb: 2\n--- # comment\nc: 3\n...\nd: 4\n');
    expect(split.documents.map((d) => [d.text, d.firstLine])).toEqual([
      ['a: 1\n', 1],
      ['b: 2\n', 3],
      ['c: 3\n', 5],
    ]);
  });

  it('does not create an empty document for a leading ---, but does for a trailing one', () => {
    expect(splitDocuments('---\na: 1\n').documents).toHaveLength(1);
    expect(splitDocuments('a: 1\n---\n').documents.map((d) => d.text)).toEqual(['a: 1\n', '']);
  });

  it('drops carriage returns', () => {
    expect(splitDocuments('a: 1\r\nb: 2\r\n').documents[0].text).toBe('a: 1\nb: 2\n');
  });

  it('treats only column-0 markers as separators', () => {
    expect(splitDocuments('a: |\n  ---\n  x\n').documents).toHaveLength(1);
  });

  it('stops at a line of 64 KiB, like Go\'s scanner', () => {
    const split = splitDocuments(`a: 1\n#${'x'.repeat(70_000)}\nb: 2\n`);
    expect(split.truncatedAtLine).toBe(2);
    expect(split.documents.map((d) => d.text)).toEqual(['a: 1\n']);
  });
});

describe('YAML 1.1 scalars', () => {
  it('reads yes/on/y as booleans in boolean fields', () => {
    const m = docker('kind: pipeline\nclone: {disable: yes}\nsteps:\n- name: a\n  image: x\n  privileged: on\n  detach: Y\n');
    expect(m.pipelines[0].clone.disable).toBe(true);
    expect(m.pipelines[0].steps[0]).toMatchObject({ privileged: true, detach: true });
  });

  it('keeps the written text in string fields', () => {
    const m = docker('kind: pipeline\nname: 1.10\nsteps:\n- name: 010\n  image: x\n  user: yes\n  environment: {A: 0x1F, B: 1e3, C: ~}\n');
    expect(m.pipelines[0].name).toBe('1.10');
    expect(m.pipelines[0].steps[0]).toMatchObject({ name: '010', user: 'yes' });
    expect(m.pipelines[0].steps[0]?.environment).toEqual({ A: { value: '0x1F', secret: '' }, B: { value: '1e3', secret: '' } });
  });

  it('reads Go integer forms in integer fields', () => {
    const m = docker('kind: pipeline\nclone: {depth: 0x10, retries: 1_000}\nconcurrency: {limit: 010}\n');
    expect(m.pipelines[0].clone).toMatchObject({ depth: 16, retries: 1000 });
    expect(m.pipelines[0].concurrency.limit).toBe(8);
  });

  it('reads byte sizes as numbers or units', () => {
    const m = docker('kind: pipeline\nsteps:\n- name: a\n  image: x\n  mem_limit: 1gb\n  memswap_limit: 1536\n  shm_size: 64MiB\n');
    expect(m.pipelines[0].steps[0]).toMatchObject({ mem_limit: 1024 ** 3, memswap_limit: 1536, shm_size: 64 * 1024 * 1024 });
  });

  it('rejects a quoted "true" in a boolean field, like Go', () => {
    expect(errors('kind: pipeline\nsteps:\n- name: a\n  privileged: "true"\n')).toEqual([
      '4:15 steps[0].privileged: expected a boolean (true or false), found the string "true"',
    ]);
  });
});

describe('type errors', () => {
  it('reports each with line and column, and keeps going', () => {
    expect(
      errors('kind: pipeline\nsteps:\n- name: a\n  commands: make\n  detach: sometimes\n  mem_limit: lots\n  volumes: {name: x}\n'),
    ).toEqual([
      '4:13 steps[0].commands: expected a list of strings, found the string "make"',
      '5:11 steps[0].detach: expected a boolean (true or false), found the string "sometimes"',
      "6:14 steps[0].mem_limit: invalid size: 'lots'",
      '7:12 steps[0].volumes: expected a list of volume mounts, found a map',
    ]);
  });

  it('depends on the reader: fields a reader does not know are ignored', () => {
    const yaml = 'kind: pipeline\ntype: exec\nsteps:\n- name: a\n  mem_limit: lots\n  privileged: maybe\n';
    expect(errors(yaml, 'exec')).toEqual([]);
    expect(errors(yaml, 'server')).toEqual(['6:15 steps[0].privileged: expected a boolean (true or false), found the string "maybe"']);
  });

  it('checks header fields of every document for a runner', () => {
    expect(errors('kind: pipeline\nname: a\n---\nkind: pipeline\ntype: other\nname: [x]\n', 'exec')).toEqual([
      '6:7 name: expected a string, found a list',
    ]);
  });

  it('reports a scalar where a document or step map is expected', () => {
    expect(errors('just text\n')).toEqual(['1:1 expected a document (a map with a kind), found the string "just text"']);
    expect(errors('kind: pipeline\nsteps: [build]\n')).toEqual(['2:9 steps[0]: expected a step (a map with a name), found the string "build"']);
  });

  it('reads an environment value given as a map without from_secret as empty, and rejects a list', () => {
    expect(errors('kind: pipeline\nsteps:\n- name: a\n  environment: {A: [1]}\n')).toEqual([
      '4:20 steps[0].environment.A: expected a string or {from_secret: name}, found a list',
    ]);
  });
});

describe('merge keys and anchors', () => {
  it('merges maps, later keys overriding, maps merged into maps (Go order)', () => {
    const m = docker(
      [
        'kind: pipeline',
        'x-base: &base',
        '  image: golang',
        '  environment: {A: "1", B: "1"}',
        '  commands: [one]',
        'steps:',
        '- name: a',
        '  commands: [ignored]',
        '  <<: *base',
        '  environment: {B: "2"}',
        '',
      ].join('\n'),
    );
    const step = m.pipelines[0].steps[0];
    expect(step?.image).toBe('golang');
    expect(step?.commands).toEqual(['one']);
    expect(step?.environment).toEqual({ A: { value: '1', secret: '' }, B: { value: '2', secret: '' } });
  });

  it('merges a list of maps, earlier maps winning', () => {
    const m = docker('kind: pipeline\na: &a {image: one, user: u}\nb: &b {image: two}\nsteps:\n- name: s\n  <<: [*a, *b]\n');
    expect(m.pipelines[0].steps[0]).toMatchObject({ image: 'one', user: 'u' });
  });

  it('allows duplicate keys, the last one winning', () => {
    expect(docker('kind: pipeline\nname: a\nname: b\n').pipelines[0].name).toBe('b');
  });

  it('rejects merging a scalar', () => {
    expect(errors('kind: pipeline\nsteps:\n- name: a\n  <<: nope\n')[0]).toContain('map merge requires map or sequence of maps');
  });
});

describe('kinds and readers', () => {
  it('gives runners only their own pipeline types, plus secrets and signatures', () => {
    const yaml = 'kind: pipeline\nname: d\n---\nkind: pipeline\ntype: exec\nname: e\n---\nkind: secret\nname: s\nget: {path: p, name: n}\n---\nkind: signature\nhmac: h\n---\nkind: cron\nname: c\n';
    const exec = parseManifest(yaml, 'exec');
    expect(exec.ok && exec.manifest.pipelines.map((p) => p.name)).toEqual(['e']);
    expect(exec.ok && exec.manifest.secrets[0].get).toEqual({ path: 'p', name: 'n', key: '' });
    expect(exec.ok && exec.manifest.signatures[0].hmac).toBe('h');
    const server = parseManifest(yaml, 'server');
    expect(server.ok && server.manifest.pipelines.map((p) => p.name)).toEqual(['d', 'e']);
  });

  it('keeps null steps so the linters can name them', () => {
    expect(docker('kind: pipeline\nsteps:\n-\n- name: a\n').pipelines[0].steps[0]).toBeNull();
  });
});
