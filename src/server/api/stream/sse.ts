// Server-sent events as Drone sends them (research/drone-server.md §5.3): `text/event-stream`, an initial
// `: ping`, a ping every 30 s without traffic, `event: error` / `data: eof` at the end. Hangar adds
// `id: <pos>` to log lines (a reconnect resumes with Last-Event-ID), drops a viewer too slow to read (it
// reconnects and resumes), and closes every stream without `eof` when the server drains, so browsers
// reconnect to another server.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Drain } from '../../drain.js';

const PING_MS = 30_000;
/** A viewer whose unread output passes this is disconnected (it resumes where it stopped). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** One event's text: `id:` when given, then the data. */
export function sseEvent(data: string, id?: number): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}data: ${data}\n\n`;
}

export interface SseStream {
  /** Sends one event; false when the viewer is gone. */
  send(data: string, id?: number): boolean;
  /** Sends events already formatted by `sseEvent`, in one write; false when the viewer is gone. */
  sendEvents(text: string): boolean;
  /** Ends with Drone's eof event. */
  end(): void;
  /** Resolves when the viewer disconnects, the server drains or the stream ends. */
  closed: Promise<void>;
  isOpen(): boolean;
}

export function openSse(request: FastifyRequest, reply: FastifyReply, drain: Drain): SseStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  raw.write(': ping\n\n');
  let open = true;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let lastWrite = Date.now();
  const ping = setInterval(() => {
    if (Date.now() - lastWrite >= PING_MS) write(': ping\n\n');
  }, PING_MS / 3);
  const finish = () => {
    if (!open) return;
    open = false;
    clearInterval(ping);
    drain.signal.removeEventListener('abort', onDrain);
    resolveClosed();
  };
  const onDrain = () => {
    // No eof: the browser reconnects, and the load balancer sends it to a server that is not leaving.
    raw.destroy();
    finish();
  };
  drain.signal.addEventListener('abort', onDrain, { once: true });
  request.raw.on('close', finish);
  raw.on('close', finish);

  // Lines that arrive together (a batch read from the live stream) leave in one socket write, not one each.
  let corked = false;
  function write(text: string): boolean {
    if (!open) return false;
    lastWrite = Date.now();
    if (!corked) {
      corked = true;
      raw.cork();
      process.nextTick(() => {
        corked = false;
        raw.uncork();
      });
    }
    raw.write(text);
    if (raw.writableLength > MAX_BUFFERED_BYTES) {
      raw.destroy();
      finish();
      return false;
    }
    return true;
  }

  return {
    send: (data, id) => write(sseEvent(data, id)),
    sendEvents: (text) => text === '' || write(text),
    end() {
      if (!open) return;
      raw.end('event: error\ndata: eof\n\n');
      finish();
    },
    closed,
    isOpen: () => open,
  };
}
