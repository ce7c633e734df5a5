// drone-go's struct field names (what drone CLI `--format` templates use) → the server's JSON keys.
// Most names are the JSON key in CamelCase (`AuthorEmail` → `author_email`, `RepoID` → `repo_id`); the rest,
// where drone-go names a field differently from its JSON key, are listed here.

const RENAMED: Record<string, string[]> = {
  Author: ['author_login'],
  Fork: ['source_repo'],
  Deploy: ['deploy_to'],
  HTTPURL: ['git_http_url'],
  SSHURL: ['git_ssh_url'],
  Branch: ['default_branch'],
  Config: ['config_path'],
  IgnorePulls: ['ignore_pull_requests'],
  CancelPulls: ['auto_cancel_pull_requests'],
  CancelPush: ['auto_cancel_pushes'],
  CancelRunning: ['auto_cancel_running'],
  // drone-go reads `avatar_url`; Drone's server (and Hangar) send `avatar`.
  Avatar: ['avatar_url', 'avatar'],
  LimitRepo: ['throttle'],
  ErrIgnore: ['errignore'],
  StageID: ['step_id'],
  // Line: {pos, out, time}.
  Number: ['pos'],
  Message: ['out'],
  Timestamp: ['time'],
};

/** `AuthorEmail` → `author_email`, `StageOS` → `stage_os`, `HTTPURL` → `httpurl`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The value of a Go field (or a JSON key, written as is) of a JSON object; undefined when it has none. */
export function lookupField(value: unknown, name: string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of [name, snakeCase(name), ...(RENAMED[name] ?? [])]) {
    if (key in record) return record[key];
  }
  return undefined;
}
