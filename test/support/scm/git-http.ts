// Git's smart HTTP protocol for stand-in SCM servers, served by the real `git http-backend` (a CGI program
// shipped with git): clones and fetches of the bare repositories behind a stand-in behave as they do against
// GitHub, Gitea, GitLab or Gogs, including the 401 a private repository answers without credentials.

import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface GitHttpOptions {
  /** The directory holding the bare repositories (`<owner>/<name>.git`). */
  projectRoot: string;
  /** The repository path and the rest of the URL after it, e.g. `/octocat/hello.git/info/refs`. */
  pathInfo: string;
  /** The user a Basic authorization header named, after the stand-in checked it ('' for anonymous). */
  remoteUser: string;
}

/** Runs `git http-backend` for one request and streams its answer back. */
export function serveGit(request: IncomingMessage, response: ServerResponse, options: GitHttpOptions): void {
  const url = new URL(request.url ?? '/', 'http://stand-in');
  const cgi = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: options.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: options.pathInfo,
      REQUEST_METHOD: request.method ?? 'GET',
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
      HTTP_GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
      REMOTE_USER: options.remoteUser,
      REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  request.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else response.setHeader(name, value);
    }
    response.writeHead(status);
    headersSent = true;
    response.write(head.subarray(end + 4));
  });
  cgi.stdout.on('end', () => {
    if (!headersSent) response.writeHead(500);
    response.end();
  });
  cgi.on('error', () => {
    if (!headersSent) response.writeHead(500);
    response.end();
  });
  cgi.stderr.resume();
}
