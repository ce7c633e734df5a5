// How `hangar` fails, for scripts: one line on stderr with the server's {"message"}, and an exit code per kind
// of failure (docs/cli.md): 1 request failed, 2 usage, 3 unauthorized, 4 forbidden, 5 not found, 6 unreachable.
// And a closed output (`hangar … | head -1`) ends it quietly.

import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HANGAR, hangar } from './support/run-hangar.js';
import { type StubApi, startStubApi } from './support/stub-api.js';

let stub: StubApi;

beforeAll(async () => {
  stub = await startStubApi();
});
afterEach(() => stub.reset());
afterAll(() => stub.close());

const run = (...args: string[]) => hangar(args, { DRONE_SERVER: stub.url, DRONE_TOKEN: 'failure-token' });

describe('server errors', () => {
  it.each([
    [401, 'Unauthorized', 3],
    [403, 'Forbidden', 4],
    [404, 'Not Found', 5],
    [400, 'cannot start a blocked build', 1],
    [500, 'database is locked', 1],
  ])('%i {"message": "%s"} exits %i with the message on one line', async (status, message, code) => {
    stub.answerAll({ status, body: { message } });
    const result = await run('build', 'restart', 'octocat/hello-world', '4');
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`hangar: POST /api/repos/octocat/hello-world/builds/4: ${status} ${message}\n`);
  });

  it('an answer that is not JSON where JSON is expected fails with exit 1, without a stack trace', async () => {
    const server = await listen((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>login</html>'));
    const result = await hangar(['repo', 'ls'], { DRONE_SERVER: server.url, DRONE_TOKEN: 't' });
    await server.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('hangar: GET /api/user/repos: the server answered 200 with something other than JSON\n');
  });

  it('a redirect means a wrong server address (exit 6), as drone-go says, and is not followed', async () => {
    const server = await listen((_req, res) => res.writeHead(302, { Location: '/login' }).end());
    const result = await hangar(['info'], { DRONE_SERVER: server.url, DRONE_TOKEN: 't' });
    await server.close();
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/^hangar: .* answered with a redirect \(302\): did you configure the correct server address\?\n$/);
  });

  it('a server that cannot be reached exits 6', async () => {
    const server = await listen(() => undefined);
    await server.close();
    const result = await hangar(['info'], { DRONE_SERVER: server.url, DRONE_TOKEN: 't' });
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/^hangar: cannot reach http:\/\/127\.0\.0\.1:\d+ \(.+\): check DRONE_SERVER or --server\n$/);
  });
});

describe('usage errors exit 2 and send nothing', () => {
  it.each([
    ['a missing argument', ['build', 'info'], /missing required argument 'repo'/],
    ['an unknown option', ['build', 'ls', 'octocat/hello-world', '--colour'], /unknown option '--colour'/],
    ['an unknown subcommand', ['cron', 'frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['a group without a subcommand', ['orgsecret'], /Usage: hangar orgsecret/],
    ['a repository that is not owner/name', ['build', 'ls', 'hello-world'], /invalid or missing repository "hello-world"/],
    ['a build number that is not a number', ['build', 'stop', 'octocat/hello-world', 'latest-one'], /build must be a number/],
    ['a template that does not parse', ['build', 'ls', 'octocat/hello-world', '--format', '{{ .Number '], /invalid --format: unclosed/],
    ['an unknown template function', ['build', 'ls', 'octocat/hello-world', '--format', '{{ .Number | shout }}'], /unknown function "shout"/],
    ['a wrong flag value', ['repo', 'update', 'octocat/hello-world', '--visibility', 'secret'], /expected public, private or internal/],
    ['a secret without a name', ['secret', 'info', 'octocat/hello-world'], /missing secret name/],
    ['a file that cannot be read', ['secret', 'add', 'octocat/hello-world', '--name', 'n', '--data', '@/nonexistent/file'], /cannot read \/nonexistent\/file: ENOENT/],
  ])('%s', async (_name, args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(stub.requests).toEqual([]);
  });

  it('--help exits 0', async () => {
    const result = await run('build', 'ls', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--format <template>');
  });
});

describe('a closed output', () => {
  const logLines = Array.from({ length: 50_000 }, (_, pos) => ({ pos, out: `line ${pos} ${'x'.repeat(60)}\n`, time: 0 }));
  const builds = Array.from({ length: 20_000 }, (_, i) => ({ number: 20_000 - i, status: 'success', event: 'push', target: 'main', after: 'f'.repeat(40), message: 'x'.repeat(60) }));

  it.each([
    ['log view … | head -1', ['log', 'view', 'octocat/hello-world', '1', '1', '1'], logLines, /^line 0 /],
    ['build ls … | head -1', ['build', 'ls', 'octocat/hello-world'], builds, /^NUMBER /],
  ])('`hangar %s`: the reader leaves after the first chunk, hangar exits 0 without an EPIPE trace', async (_name, args, answer, firstLine) => {
    stub.answerAll({ status: 200, body: answer });
    const child = spawn(process.execPath, [HANGAR, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DRONE_SERVER: stub.url, DRONE_TOKEN: 't' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
    expect(first).toMatch(firstLine);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
