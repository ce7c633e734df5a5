// The `.drone.yml` model: what a parsed configuration file holds, field names as users write them.
// One model serves every reader (server, docker runner, exec runner); which fields get decoded from the
// YAML depends on who reads it (see decode.ts), as each Drone component has its own Go structs.

import type { Position } from '../internal/position.js';
import type { GenericValue } from '../yaml/decoder.js';

/** One `when`/`trigger` field: `include`/`exclude` glob lists (a string or a list means include). */
export interface Condition {
  include: string[];
  exclude: string[];
}

export const CONDITION_FIELDS = [
  'action',
  'cron',
  'ref',
  'repo',
  'instance',
  'target',
  'event',
  'branch',
  'status',
  'paths',
] as const;

export type ConditionField = (typeof CONDITION_FIELDS)[number];

export type Conditions = Record<ConditionField, Condition>;

export interface Platform {
  os: string;
  arch: string;
  variant: string;
  /** The kernel/OS version (the stage's `kernel`). */
  version: string;
}

/** Fields every document may carry, decoded from each of them. */
export interface Header {
  version: string;
  kind: string;
  type: string;
  name: string;
  depends_on: string[];
  node: Record<string, string>;
  concurrency: { limit: number };
  platform: Platform;
}

export interface CloneSettings {
  disable: boolean;
  depth: number;
  retries: number;
  skip_verify: boolean;
  trace: boolean;
}

/** An environment value: a literal, or a reference to a secret (`from_secret`). */
export interface Variable {
  value: string;
  secret: string;
}

/** A plugin setting: a secret reference or any YAML value. */
export type Setting = { secret: string } | { value: GenericValue };

export interface VolumeMount {
  name: string;
  path: string;
}

export interface Port {
  port: number;
  host: number;
  protocol: string;
}

export interface Step {
  name: string;
  image: string;
  commands: string[];
  command: string[];
  entrypoint: string[];
  environment: Record<string, Variable>;
  settings: Record<string, Setting>;
  when: Conditions;
  depends_on: string[];
  detach: boolean;
  failure: string;
  privileged: boolean;
  pull: string;
  volumes: VolumeMount[];
  devices: VolumeMount[];
  network_mode: string;
  user: string;
  working_dir: string;
  dns: string[];
  dns_search: string[];
  extra_hosts: string[];
  mem_limit: number;
  memswap_limit: number;
  shm_size: number;
  shell: string;
  /** Server model only (legacy): published ports and a `build` section. */
  ports: Port[];
  build?: { image: string };
  /** Where the step starts, and where each of its keys was written. */
  position: Position | undefined;
  keyPositions: Record<string, Position>;
}

export interface Volume {
  name: string;
  temp?: { medium: string; size_limit: number };
  host?: { path: string };
  position: Position | undefined;
}

export interface Pipeline extends Header {
  clone: CloneSettings;
  trigger: Conditions;
  workspace: { base: string; path: string };
  environment: Record<string, string>;
  /** Null entries are empty list items (`- ` with nothing), which the linters reject. */
  steps: Array<Step | null>;
  services: Array<Step | null>;
  volumes: Array<Volume | null>;
  image_pull_secrets: string[];
  /** Index of the document in the file (0-based) and where it starts. */
  index: number;
  position: Position | undefined;
  keyPositions: Record<string, Position>;
}

export interface SecretDocument {
  kind: 'secret';
  name: string;
  /** base64 of an AES-GCM encrypted value (encrypted secret). */
  data: string;
  /** Reference to an external secret (secret plugin). */
  get: { path: string; name: string; key: string };
  index: number;
  position: Position | undefined;
}

export interface SignatureDocument {
  kind: 'signature';
  hmac: string;
  index: number;
  position: Position | undefined;
}

/** `kind: template`: a reference to a stored template and its input data (converted by the server). */
export interface TemplateDocument {
  kind: 'template';
  load: string;
  data: GenericValue;
  index: number;
  position: Position | undefined;
}
