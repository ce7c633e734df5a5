// The compiled plan of a `type: exec` stage: what the exec engine runs. Its JSON shape is the one
// drone-runner-exec's compiler produces (see ../shared/conformance/runner-exec/compiler/*.json), so
// golden tests can compare plans field by field.

/** When a step runs, relative to the stage's state (Drone's run policy, numeric on the wire). */
export enum RunPolicy {
  OnSuccess = 0,
  OnFailure = 1,
  Always = 2,
  Never = 3,
}

/**
 * What a failing step does to the stage (`failure: ignore` → Ignore). Numbered as runner-go numbers them
 * (fail, fail-fast, ignore), so an absent value means Fail.
 */
export enum ErrPolicy {
  Fail = 0,
  FailFast = 1,
  Ignore = 2,
}

export interface SpecFile {
  path: string;
  /** Unix file mode, e.g. 0o700 = 448. */
  mode: number;
  /** base64 of the file's bytes (absent for directories). */
  data?: string;
  is_dir?: boolean;
}

export interface SpecSecret {
  /** The secret's name in the secret store (`from_secret: name`). */
  name: string;
  /** The environment variable that receives it. */
  env: string;
  /** The resolved plaintext value. */
  data: string;
  /** Whether its value is masked in the step's log. */
  mask: boolean;
}

export interface SpecLink {
  /** The existing path the link points to. */
  source: string;
  /** The link to create (under the root). */
  target: string;
}

export interface ExecStep {
  name: string;
  command: string;
  args: string[];
  detach?: boolean;
  depends_on?: string[];
  err_policy?: ErrPolicy;
  environment?: Record<string, string>;
  files?: SpecFile[];
  run_policy?: RunPolicy;
  secrets: SpecSecret[];
  working_dir: string;
}

export interface ExecSpec {
  platform: { os?: string; arch?: string; variant?: string; version?: string };
  /** The stage's private directory; every path of the plan lives under it. */
  root: string;
  files: SpecFile[];
  /** Symbolic links to create before the steps run (DRONE_RUNNER_SYMLINKS). */
  links?: SpecLink[];
  steps: ExecStep[];
}
