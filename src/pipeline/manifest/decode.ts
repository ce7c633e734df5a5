// Decoding of each document kind from YAML, per reader. Drone's server (drone-yaml), its docker runner and
// its exec runner each decode pipelines into their own Go structs, so a field one of them knows can be a
// type error for it and ignored by another (e.g. `mem_limit: lots` breaks the docker runner only).

import { CONDITION_FIELDS, type Condition, type Conditions, type Header, type Pipeline, type Port, type SecretDocument, type Setting, type SignatureDocument, type Step, type TemplateDocument, type Variable, type Volume, type VolumeMount } from './types.js';
import type { Position } from '../internal/position.js';
import type { Decoder, YNode } from '../yaml/decoder.js';
import { Fields } from '../yaml/fields.js';
import { isMap, isScalar, isSeq } from 'yaml';

/** Whose Go structs a pipeline is decoded into. */
export type Reader = 'server' | 'docker' | 'exec';

/**
 * The fields every document carries. Runners decode all of them from every document; the server only
 * `version`, `kind` and `type` (its kinds decode the rest themselves), hence `full`.
 */
export function decodeHeader(fields: Fields, full = true): Header {
  if (!full) {
    const kind = fields.string('kind');
    return {
      version: fields.string('version'),
      kind,
      type: fields.string('type'),
      name: fields.string('name'),
      depends_on: [],
      node: {},
      concurrency: { limit: 0 },
      platform: { os: '', arch: '', variant: '', version: '' },
    };
  }
  const platform = fields.struct('platform', 'a platform map (os, arch, variant, version)');
  return {
    version: fields.string('version'),
    kind: fields.string('kind'),
    type: fields.string('type'),
    name: fields.string('name'),
    depends_on: fields.strings('depends_on'),
    node: fields.stringMap('node'),
    concurrency: { limit: fields.struct('concurrency', 'a concurrency map (limit)').int('limit') },
    platform: {
      os: platform.string('os'),
      arch: platform.string('arch'),
      variant: platform.string('variant'),
      version: platform.string('version'),
    },
  };
}

export function decodePipeline(fields: Fields, header: Header, reader: Reader, index: number): Pipeline {
  const clone = fields.struct('clone', 'a clone map (disable, depth, ...)');
  const workspace = fields.struct('workspace', 'a workspace map (base, path)');
  const isExec = reader === 'exec';
  const stepOf = (node: YNode, path: string) => decodeStep(fields.decoder, node, path, reader);
  return {
    ...header,
    clone: {
      disable: clone.bool('disable'),
      depth: isExec ? 0 : clone.int('depth'),
      retries: reader === 'docker' ? clone.int('retries') : 0,
      skip_verify: clone.bool('skip_verify'),
      trace: reader === 'server' ? false : clone.bool('trace'),
    },
    trigger: decodeConditions(fields.decoder, fields.node('trigger'), fields.child('trigger')),
    workspace: { base: isExec ? '' : workspace.string('base'), path: workspace.string('path') },
    environment: reader === 'docker' ? fields.stringMap('environment') : {},
    steps: fields.list('steps', 'a list of steps', stepOf),
    services: isExec ? [] : fields.list('services', 'a list of services', stepOf),
    volumes: isExec ? [] : fields.list('volumes', 'a list of volumes', (n, p) => decodeVolume(fields.decoder, n, p)),
    image_pull_secrets: isExec ? [] : fields.strings('image_pull_secrets'),
    index,
    position: fields.position,
    keyPositions: keyPositions(fields),
  };
}

function decodeStep(decoder: Decoder, node: YNode, path: string, reader: Reader): Step | null {
  if (decoder.isNull(node)) return null;
  const f = Fields.of(decoder, node, path, 'a step (a map with a name)');
  if (!f) return null;
  const docker = reader === 'docker';
  const server = reader === 'server';
  const container = docker || server;
  const step: Step = {
    name: f.string('name'),
    image: f.string('image'),
    commands: f.strings('commands'),
    command: container ? f.strings('command') : [],
    entrypoint: container ? f.strings('entrypoint') : [],
    environment: f.map('environment', 'a map of environment variables', (n, p) => decodeVariable(decoder, n, p)),
    settings: container ? f.map('settings', 'a map of settings', (n, p) => decodeSetting(decoder, n, p)) : {},
    when: decodeConditions(decoder, f.node('when'), f.child('when')),
    depends_on: f.strings('depends_on'),
    detach: f.bool('detach'),
    failure: f.string('failure'),
    privileged: container ? f.bool('privileged') : false,
    pull: container ? f.string('pull') : '',
    volumes: container ? f.list('volumes', 'a list of volume mounts', (n, p) => decodeMount(decoder, n, p)) : [],
    devices: container ? f.list('devices', 'a list of devices', (n, p) => decodeMount(decoder, n, p)) : [],
    network_mode: container ? f.string('network_mode') : '',
    user: container ? f.string('user') : '',
    working_dir: container ? f.string('working_dir') : '',
    dns: container ? f.strings('dns') : [],
    dns_search: container ? f.strings('dns_search') : [],
    extra_hosts: container ? f.strings('extra_hosts') : [],
    mem_limit: docker ? decodeBytes(decoder, f.node('mem_limit'), f.child('mem_limit')) : 0,
    memswap_limit: docker ? decodeBytes(decoder, f.node('memswap_limit'), f.child('memswap_limit')) : 0,
    shm_size: docker ? decodeBytes(decoder, f.node('shm_size'), f.child('shm_size')) : 0,
    shell: f.string('shell'),
    ports: server ? f.list('ports', 'a list of ports', (n, p) => decodePort(decoder, n, p)) : [],
    position: f.position,
    keyPositions: keyPositions(f),
  };
  if (server && f.has('build')) step.build = decodeBuild(decoder, f.node('build'), f.child('build'));
  if (server && f.has('resources')) decodeResources(f.struct('resources', 'a resources map'));
  if (server && f.has('push')) decodeImageRef(decoder, f.node('push'), f.child('push'));
  return step;
}

function keyPositions(f: Fields): Record<string, Position> {
  const out: Record<string, Position> = Object.create(null) as Record<string, Position>;
  for (const key of f.keys()) {
    const pos = f.keyPosition(key);
    if (pos) out[key] = pos;
  }
  return out;
}

/**
 * A condition is a string (one include pattern), a list (include patterns) or `{include, exclude}`.
 * Drone's decoder ignores its own errors here: any other shape, or misspelled keys, give an empty
 * condition that matches everything.
 */
export function decodeCondition(decoder: Decoder, node: YNode): Condition {
  const n = decoder.resolve(node);
  if (!n || decoder.isNull(n)) return { include: [], exclude: [] };
  if (isScalar(n)) return { include: [decoder.string(n, '')], exclude: [] };
  if (isSeq(n)) return { include: lenientStrings(decoder, n), exclude: [] };
  if (isMap(n)) {
    const include: string[] = [];
    const exclude: string[] = [];
    for (const entry of decoder.entries(n, '', 'a map') ?? []) {
      if (entry.key === 'include') replaceWith(include, lenientStrings(decoder, entry.value));
      if (entry.key === 'exclude') replaceWith(exclude, lenientStrings(decoder, entry.value));
    }
    return { include, exclude };
  }
  return { include: [], exclude: [] };
}

function replaceWith(target: string[], values: string[]): void {
  target.length = 0;
  target.push(...values);
}

// Scalars of a list as strings; anything else (and a non-list) silently dropped, as Go ignores the error.
function lenientStrings(decoder: Decoder, node: YNode): string[] {
  const n = decoder.resolve(node);
  if (!n || !isSeq(n)) return [];
  const out: string[] = [];
  for (const item of n.items) {
    const resolved = decoder.resolve(item as YNode);
    if (!resolved || isScalar(resolved)) out.push(decoder.string(resolved, ''));
  }
  return out;
}

export function decodeConditions(decoder: Decoder, node: YNode, path: string): Conditions {
  const out = {} as Conditions;
  const entries = decoder.isNull(node) ? [] : (decoder.entries(node, path, 'a map of conditions') ?? []);
  for (const field of CONDITION_FIELDS) {
    let condition: Condition = { include: [], exclude: [] };
    for (const entry of entries) {
      if (entry.key === field) condition = decodeCondition(decoder, entry.value);
    }
    out[field] = condition;
  }
  return out;
}

/** `NAME: value` or `NAME: {from_secret: secret}`; undefined for a null value (Go leaves a nil pointer). */
function decodeVariable(decoder: Decoder, node: YNode, path: string): Variable | undefined {
  const n = decoder.resolve(node);
  if (decoder.isNull(n)) return undefined;
  if (n && isScalar(n)) return { value: decoder.string(n, path), secret: '' };
  const f = Fields.of(decoder, n, path, 'a string or {from_secret: name}');
  if (!f) return { value: '', secret: '' };
  return { value: f.string('value'), secret: f.string('from_secret') };
}

function decodeSetting(decoder: Decoder, node: YNode, path: string): Setting | undefined {
  const n = decoder.resolve(node);
  if (decoder.isNull(n)) return undefined;
  if (n && isMap(n)) {
    const entries = decoder.entries(n, path, 'a map') ?? [];
    const secretEntry = [...entries].reverse().find((e) => e.key === 'from_secret');
    if (secretEntry) {
      const secretNode = decoder.resolve(secretEntry.value);
      const secret = secretNode && isScalar(secretNode) ? decoder.string(secretNode, path) : '';
      if (secret !== '') return { secret };
    }
  }
  return { value: decoder.generic(n, path) };
}

function decodeMount(decoder: Decoder, node: YNode, path: string): VolumeMount {
  const f = Fields.of(decoder, node, path, 'a map with name and path');
  return { name: f?.string('name') ?? '', path: f?.string('path') ?? '' };
}

function decodeVolume(decoder: Decoder, node: YNode, path: string): Volume | null {
  if (decoder.isNull(node)) return null;
  const f = Fields.of(decoder, node, path, 'a volume (a map with a name)');
  if (!f) return null;
  const volume: Volume = { name: f.string('name'), position: f.position };
  if (f.has('temp') && !decoder.isNull(f.node('temp'))) {
    const temp = f.struct('temp', 'a temp volume map (medium, size_limit)');
    volume.temp = { medium: temp.string('medium'), size_limit: decodeBytes(decoder, temp.node('size_limit'), temp.child('size_limit')) };
  }
  if (f.has('host') && !decoder.isNull(f.node('host'))) {
    volume.host = { path: f.struct('host', 'a host volume map (path)').string('path') };
  }
  return volume;
}

function decodePort(decoder: Decoder, node: YNode, path: string): Port {
  const n = decoder.resolve(node);
  if (n && isScalar(n)) return { port: decoder.int(n, path), host: 0, protocol: '' };
  const f = Fields.of(decoder, n, path, 'a port number or {port, host, protocol}');
  return { port: f?.int('port') ?? 0, host: f?.int('host') ?? 0, protocol: f?.string('protocol') ?? '' };
}

function decodeBuild(decoder: Decoder, node: YNode, path: string): { image: string } {
  const n = decoder.resolve(node);
  if (n && isScalar(n)) return { image: decoder.string(n, path) };
  const f = Fields.of(decoder, n, path, 'an image name or a build map');
  if (f) {
    f.stringMap('args');
    f.strings('cache_from');
    f.string('context');
    f.string('dockerfile');
    f.stringMap('labels');
  }
  return { image: f?.string('image') ?? '' };
}

function decodeImageRef(decoder: Decoder, node: YNode, path: string): string {
  const n = decoder.resolve(node);
  if (n && isScalar(n)) return decoder.string(n, path);
  return Fields.of(decoder, n, path, 'an image name or {image}')?.string('image') ?? '';
}

function decodeResources(f: Fields): void {
  for (const key of ['limits', 'requests']) {
    const r = f.struct(key, 'a map of cpu and memory');
    if (r.has('cpu')) readFloat(r.decoder, r.node('cpu'), r.child('cpu'));
    decodeBytes(r.decoder, r.node('memory'), r.child('memory'));
  }
}

function readFloat(decoder: Decoder, node: YNode, path: string): number {
  const v = decoder.intOrString(node, path);
  if (v.isNull) return 0;
  if (v.int !== undefined) return v.int;
  const n = decoder.resolve(node);
  if (n && isScalar(n)) {
    const s = decoder.scalar(n, path);
    if (s.tag === '!!float' && typeof s.value === 'number') return s.value;
  }
  decoder.mismatch(node, path, 'a number');
  return 0;
}

/** A byte size: an integer, or a string like `1gb` / `512MiB` (1024-based, docker go-units). */
export function decodeBytes(decoder: Decoder, node: YNode, path: string): number {
  const v = decoder.intOrString(node, path);
  if (v.isNull) return 0;
  if (v.int !== undefined) return v.int;
  if (v.text === undefined) {
    decoder.mismatch(node, path, 'a size (a number of bytes or a string like "1gb")');
    return 0;
  }
  const size = parseRamInBytes(v.text);
  if (size === undefined) {
    decoder.error(decoder.resolve(node), path, `invalid size: '${v.text}'`);
    return 0;
  }
  return size;
}

const UNITS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

function parseRamInBytes(text: string): number | undefined {
  const m = /^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (!m) return undefined;
  const size = Number.parseFloat(m[1]);
  if (Number.isNaN(size)) return undefined;
  const unit = (m[3] ?? '').toLowerCase();
  return Math.trunc(size * (UNITS[unit] ?? 1));
}

export function decodeSecret(fields: Fields, index: number): SecretDocument {
  const get = fields.struct('get', 'a map (path, name, key)');
  return {
    kind: 'secret',
    name: fields.string('name'),
    data: fields.string('data'),
    get: { path: get.string('path'), name: get.string('name'), key: get.string('key') },
    index,
    position: fields.position,
  };
}

export function decodeSignature(fields: Fields, index: number): SignatureDocument {
  return { kind: 'signature', hmac: fields.string('hmac'), index, position: fields.position };
}

export function decodeTemplate(fields: Fields, index: number): TemplateDocument {
  return {
    kind: 'template',
    load: fields.string('load'),
    data: fields.decoder.generic(fields.node('data'), fields.child('data')),
    index,
    position: fields.position,
  };
}
