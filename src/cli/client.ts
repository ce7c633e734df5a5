// A small client of Hangar's (and Drone's) REST API for the CLI, sending what drone-go sends: DRONE_SERVER and
// DRONE_TOKEN as the drone CLI reads them, `Authorization: Bearer`, JSON bodies only where drone-go has an input,
// query strings encoded (and sorted) as Go's url.Values does; errors carry the server's `{"message"}`.

export interface ClientSettings {
  server: string;
  token: string;
}

/** The server answered with a status above 299. */
export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiClientError';
  }
}

/** No usable answer: the connection failed, or the server redirected (a wrong address, as drone-go says). */
export class ServerUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerUnreachableError';
  }
}

export type Query = Record<string, string | number | undefined>;

export function clientSettings(options: { server?: string; token?: string }, env: NodeJS.ProcessEnv = process.env): ClientSettings {
  const server = (options.server ?? env.DRONE_SERVER ?? 'http://localhost:8080').replace(/\/+$/, '');
  const token = options.token ?? env.DRONE_TOKEN ?? '';
  return { server, token };
}

/** `?a=1&b=2` with keys sorted and empty values left out; '' when there is nothing to send. */
export function encodeQuery(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}

export async function api<T>(settings: ClientSettings, method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(settings, method, path, body);
  const text = await response.text();
  if (response.status > 299) throw new ApiClientError(response.status, `${method} ${path}: ${response.status} ${serverMessage(text)}`.trim());
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiClientError(response.status, `${method} ${path}: the server answered ${response.status} with something other than JSON`);
  }
}

async function send(settings: ClientSettings, method: string, path: string, body: unknown): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${settings.server}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(settings.token ? { Authorization: `Bearer ${settings.token}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    throw new ServerUnreachableError(`cannot reach ${settings.server} (${cause}): check DRONE_SERVER or --server`);
  }
  if (response.status >= 300 && response.status < 400) {
    throw new ServerUnreachableError(`${settings.server} answered with a redirect (${response.status}): did you configure the correct server address?`);
  }
  return response;
}

/** The `message` of a JSON error body, else the body itself, on one line. */
function serverMessage(text: string): string {
  let message = text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed?.message === 'string') message = parsed.message;
  } catch {
    /* not JSON */
  }
  return message.replace(/\s+/g, ' ').trim();
}

/** `owner/name` → the path segment, validated. */
export function repoPath(slug: string): string {
  const parts = slug.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new InvalidSlugError(slug);
  return `${encodeURIComponent(parts[0])}/${encodeURIComponent(parts[1])}`;
}

export class InvalidSlugError extends Error {
  constructor(slug: string) {
    super(`invalid or missing repository "${slug}" (e.g. octocat/hello-world)`);
    this.name = 'InvalidSlugError';
  }
}

/** The API by method, as drone-go calls it: a query string where drone-go puts one, a JSON body where it has an input. */
export class DroneClient {
  constructor(readonly settings: ClientSettings) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return api<T>(this.settings, 'GET', path + encodeQuery(query));
  }

  /** A list; an empty answer or `null` is an empty list. */
  async list<T>(path: string, query?: Query): Promise<T[]> {
    return (await this.get<T[] | null | undefined>(path, query)) ?? [];
  }

  post<T>(path: string, body?: unknown, query?: Query): Promise<T> {
    return api<T>(this.settings, 'POST', path + encodeQuery(query), body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return api<T>(this.settings, 'PATCH', path, body);
  }

  async delete(path: string, query?: Query): Promise<void> {
    await api<unknown>(this.settings, 'DELETE', path + encodeQuery(query));
  }
}
