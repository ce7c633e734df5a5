// Registry credentials from `image_pull_secrets`: each named secret holds a docker config.json
// (`{"auths": {"host": {"auth": base64(user:pass)} | {"username", "password"}}}`), keys reduced to hosts.

import type { DockerAuth } from '../docker-spec.js';

export function parseDockerConfig(text: string): DockerAuth[] | undefined {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!config || typeof config !== 'object') return undefined;
  const auths = (config as { auths?: unknown }).auths;
  if (!auths || typeof auths !== 'object') return [];
  const out: DockerAuth[] = [];
  for (const [address, entry] of Object.entries(auths as Record<string, unknown>)) {
    const e = (entry ?? {}) as { auth?: unknown; username?: unknown; password?: unknown };
    let username = typeof e.username === 'string' ? e.username : '';
    let password = typeof e.password === 'string' ? e.password : '';
    if (typeof e.auth === 'string' && e.auth !== '') [username, password] = decodeAuth(e.auth);
    out.push({ address: hostOf(address), username, password });
  }
  return out;
}

function decodeAuth(auth: string): [string, string] {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1)];
}

function hostOf(address: string): string {
  try {
    const url = new URL(address);
    if (url.host !== '' && /^[a-z][a-z0-9+.-]*:\/\//i.test(address)) return url.host;
  } catch {
    // not a URL: keep as written
  }
  return address;
}
