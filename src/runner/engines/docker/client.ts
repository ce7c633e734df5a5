// The Docker Engine API client for DOCKER_HOST, as Docker's client.FromEnv reads it: unix:///path (the
// default /var/run/docker.sock), or tcp://host:port (https when DOCKER_TLS_VERIFY is set, with the
// certificates of DOCKER_CERT_PATH).

import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';

export function dockerClient(env: { DOCKER_HOST?: string; DOCKER_TLS_VERIFY?: string; DOCKER_CERT_PATH?: string }): Docker {
  const host = env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:\/\//, 'http://'));
  if (!env.DOCKER_TLS_VERIFY) return new Docker({ host: url.hostname, port: url.port || 2375, protocol: 'http' });
  const certs = env.DOCKER_CERT_PATH || path.join(process.env.HOME ?? '', '.docker');
  const read = (name: string) => fs.readFileSync(path.join(certs, name));
  return new Docker({ host: url.hostname, port: url.port || 2376, protocol: 'https', ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') });
}

/** The engine's HTTP status of a failed call (404 not found, 409 conflict), if it has one. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Runs a removal, ignoring "not found" and "already in progress" (destroy and sweep race with the engine). */
export async function ignoreGone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    const status = statusOf(err);
    if (status !== 404 && status !== 409) throw err;
  }
}
