// The compiled plan of a `type: docker` stage, shaped like drone-runner-docker's engine.Spec JSON (see
// ../shared/conformance/runner-docker/compiler/*.json): policies are strings there, unlike the exec plan.

export type DockerRunPolicy = 'on-success' | 'on-failure' | 'always' | 'never';
export type DockerErrPolicy = 'fail' | 'fail-fast' | 'ignore';
export type DockerPullPolicy = 'default' | 'always' | 'if-not-exists' | 'never';

export interface DockerSecret {
  /** The secret's name; empty for the mask-only copies every step gets. */
  name?: string;
  /** The variable that receives it; absent for mask-only copies. */
  env?: string;
  data: string;
  mask: boolean;
}

export interface DockerMount {
  name: string;
  path: string;
}

export interface DockerAuth {
  address: string;
  username: string;
  password: string;
}

export interface DockerStep {
  id: string;
  name: string;
  image: string;
  auth?: DockerAuth;
  /** The container command (Go field `Command`, JSON `args`). */
  args?: string[];
  entrypoint?: string[];
  environment: Record<string, string>;
  secrets: DockerSecret[];
  labels: Record<string, string>;
  detach?: boolean;
  depends_on?: string[];
  devices?: DockerMount[];
  dns?: string[];
  dns_search?: string[];
  extra_hosts?: string[];
  err_policy: DockerErrPolicy;
  run_policy: DockerRunPolicy;
  pull: DockerPullPolicy;
  privileged?: boolean;
  network?: string;
  networks?: string[];
  user?: string;
  volumes: DockerMount[];
  working_dir?: string;
  mem_limit?: number;
  memswap_limit?: number;
  shm_size?: number;
  cpu_period?: number;
  cpu_quota?: number;
  cpu_shares?: number;
  cpu_set?: string[];
}

export interface DockerVolume {
  /** A docker volume (or tmpfs with medium "memory") created for the stage. */
  temp?: { id: string; name: string; medium?: string; size_limit?: number; labels?: Record<string, string> };
  /** A bind mount of a host path. */
  host?: { id: string; name: string; path: string; labels?: Record<string, string>; read_only?: boolean };
}

export interface DockerSpec {
  platform: { os?: string; arch?: string; variant?: string; version?: string };
  steps: DockerStep[];
  /** Steps the user does not see (the tmate binary copy for debug builds). */
  internal?: DockerStep[];
  volumes: DockerVolume[];
  network: { id: string; labels: Record<string, string>; options?: Record<string, string> };
}
