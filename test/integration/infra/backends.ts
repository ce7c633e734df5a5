// Tiny HTTP servers standing in for Hangar servers behind HAProxy: GET /healthz answers 200 ("OK"), GET
// /longpoll?ms=N answers after N ms, anything else answers the server's name. `kill` makes it vanish
// like a killed process: the listener closes and every open connection is dropped.

import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Backend {
  name: string;
  host: string;
  port: number;
  /** Requests answered so far. */
  answered: number;
  kill(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

export async function startBackend(name: string, port = 0): Promise<Backend> {
  let server = await listen(name, port, () => backend.answered++);
  const backend: Backend = {
    name,
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    answered: 0,
    async kill() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
    async restart() {
      server = await listen(name, backend.port, () => backend.answered++);
    },
  };
  return backend;
}

async function listen(name: string, port: number, onAnswer: () => void): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://backend');
    if (url.pathname === '/healthz') return void res.end('OK');
    onAnswer();
    if (url.pathname === '/longpoll') {
      const timer = setTimeout(() => res.end(name), Number(url.searchParams.get('ms') ?? 0));
      res.on('close', () => clearTimeout(timer));
      return;
    }
    res.end(name);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

export interface Answer {
  status: number;
  body: string;
  /** The X-App-Server header (layer 7 only). */
  appServer?: string;
}

/**
 * A GET through `baseUrl` on a new connection each time (no keep-alive), so that in layer 4 every
 * request is balanced on its own, as separate runners' requests would be.
 */
export function get(baseUrl: string, path = '/'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const header = res.headers['x-app-server'];
        resolve({ status: res.statusCode ?? 0, body, appServer: typeof header === 'string' ? header : undefined });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
