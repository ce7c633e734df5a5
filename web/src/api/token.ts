// The API token a visitor signed in with (the local git provider has no browser login): kept in
// localStorage, sent as `Authorization: Bearer` and, on event streams (which cannot send headers), as
// `?access_token=`. A browser signed in through /login uses its session cookie instead.

const KEY = 'hangar_token';

export function storedToken(): string | null {
  return localStorage.getItem(KEY);
}

export function storeToken(token: string): void {
  localStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  localStorage.removeItem(KEY);
}
