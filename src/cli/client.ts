// A small client of Hangar's (and Drone's) REST API for the CLI: DRONE_SERVER and DRONE_TOKEN, as the
// drone CLI reads them; errors carry the server's `{"message"}`.

export interface ClientSettings {
  server: string;
  token: string;
}

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiClientError';
  }
}

export function clientSettings(options: { server?: string; token?: string }, env: NodeJS.ProcessEnv = process.env): ClientSettings {
  const server = (options.server ?? env.DRONE_SERVER ?? 'http://localhost:8080').replace(/\/+$/, '');
  const token = options.token ?? env.DRONE_TOKEN ?? '';
  return { server, token };
}

export async function api<T>(settings: ClientSettings, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${settings.server}${path}`, {
    method,
    headers: {
      ...(settings.token ? { Authorization: `Bearer ${settings.token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      /* not JSON */
    }
    throw new ApiClientError(response.status, `${method} ${path}: ${response.status} ${message}`.trim());
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** `owner/name` → the path segment, validated. */
export function repoPath(slug: string): string {
  const parts = slug.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new ApiClientError(0, `"${slug}" is not owner/name`);
  return `${encodeURIComponent(parts[0])}/${encodeURIComponent(parts[1])}`;
}
