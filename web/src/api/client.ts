// Calls to Hangar's REST API. Every failure becomes an ApiError whose message is the one the API gave
// (`{"message": "…"}`), or says that the server could not be reached, so pages can always show it.

import { storedToken } from './token';

export class ApiError extends Error {
  /** The HTTP status; 0 when the server could not be reached. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
}

export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const search = params.toString();
  return `/api${path}${search ? `?${search}` : ''}`;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', query, body } = options;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), { method, headers: headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'The server could not be reached. Check your connection and try again.');
  }
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, errorMessage(response, text));
  return (text ? JSON.parse(text) : undefined) as T;
}

function headers(hasBody: boolean): Record<string, string> {
  const result: Record<string, string> = { Accept: 'application/json' };
  const token = storedToken();
  if (token) result.Authorization = `Bearer ${token}`;
  if (hasBody) result['Content-Type'] = 'application/json';
  const csrf = /(?:^|;\s*)_csrf_=([^;]+)/.exec(document.cookie)?.[1];
  if (csrf) result['X-CSRF-Token'] = decodeURIComponent(csrf);
  return result;
}

function errorMessage(response: Response, text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string' && parsed.message) return parsed.message;
  } catch {
    // Not JSON: a proxy's error page, say.
  }
  return `The server answered ${response.status} ${response.statusText}`.trim();
}

/** An event-stream URL, with the stored token in the query (EventSource sends no headers). */
export function streamUrl(path: string, query: Query = {}): string {
  const token = storedToken();
  return apiUrl(path, token ? { ...query, access_token: token } : query);
}
