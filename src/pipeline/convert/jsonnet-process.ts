// Jsonnet runs in a child process of its own, with a time limit and a memory limit. The binding evaluates on
// a thread of Node's shared pool and cannot be stopped: in the server's process, a configuration that never
// ends (`local f(x) = f(x + 1) tailstrict; f(0)`) or that allocates without bound would hold a thread — and
// four of them every file and DNS operation of the server — or its memory, for good. A child is killed.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface JsonnetRequest {
  source: string;
  filename: string;
  vars: Record<string, string>;
  maxStack: number;
  /** Evaluate as a stream of documents (a top-level array) rather than as one document. */
  stream: boolean;
}

export type JsonnetOutcome = { ok: true; docs: string[] } | { ok: false; error: string };

export interface JsonnetLimits {
  timeoutMs: number;
  memoryBytes: number;
}

export const DEFAULT_JSONNET_LIMITS: JsonnetLimits = { timeoutMs: 10_000, memoryBytes: 1024 * 1024 * 1024 };

/** The child: reads one request on stdin, answers one JSON outcome on stdout. */
const CHILD_PROGRAM = `
const binding = await import(process.argv[1]);
const { Jsonnet } = binding.Jsonnet ? binding : binding.default;
let input = '';
for await (const chunk of process.stdin) input += chunk;
const request = JSON.parse(input);
const vm = new Jsonnet().setMaxStack(request.maxStack).setMaxTrace(20);
for (const [key, value] of Object.entries(request.vars)) vm.extString(key, value);
try {
  const docs = request.stream ? await vm.evaluateSnippetStream(request.source, request.filename) : [await vm.evaluateSnippet(request.source, request.filename)];
  process.stdout.write(JSON.stringify({ ok: true, docs }));
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(err instanceof Error ? err.message : err).trim() }));
}
`;

const bindingUrl = pathToFileURL(createRequire(import.meta.url).resolve('@hanazuki/node-jsonnet')).href;

export function evaluateJsonnet(request: JsonnetRequest, limits: JsonnetLimits = DEFAULT_JSONNET_LIMITS): Promise<JsonnetOutcome> {
  return new Promise((resolve) => {
    // `ulimit -d` bounds the data segment (Jsonnet's own heap included); V8's heap gets the same bound.
    const memoryKb = Math.floor(limits.memoryBytes / 1024);
    const heapMb = Math.floor(limits.memoryBytes / (1024 * 1024));
    const child = spawn('/bin/sh', ['-c', `ulimit -d ${memoryKb} && exec "$0" --max-old-space-size=${heapMb} --input-type=module -e "$1" "$2"`, process.execPath, CHILD_PROGRAM, bindingUrl], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let output = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limits.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', (err) => finish({ ok: false, error: `jsonnet could not run: ${err.message}` }));
    child.on('close', () => {
      if (timedOut) return finish({ ok: false, error: `${request.filename}: jsonnet evaluation stopped after ${limits.timeoutMs / 1000} s` });
      try {
        finish(JSON.parse(output) as JsonnetOutcome);
      } catch {
        finish({ ok: false, error: `${request.filename}: jsonnet evaluation stopped: it needed more than ${heapMb} MiB of memory` });
      }
    });
    child.stdin.end(JSON.stringify(request));

    function finish(outcome: JsonnetOutcome): void {
      clearTimeout(timer);
      resolve(outcome);
    }
  });
}
