// A viewer of a step's live log (`GET /api/stream/{owner}/{name}/{build}/{stage}/{step}`): reads the
// server-sent events as a browser does and hands each line to `onLine` with the time it arrived.

import http from 'node:http';
import type { Line } from '../../src/core/types.js';

export interface SseViewer {
  /** Resolves when the server has answered and sent its first bytes. */
  connected: Promise<void>;
  /** Resolves when the stream ends (eof or closed). */
  ended: Promise<void>;
  close(): void;
}

export function viewLog(url: string, token: string, onLine: (line: Line, receivedAt: number) => void): SseViewer {
  let resolveConnected: () => void = () => {};
  let rejectConnected: (err: Error) => void = () => {};
  let resolveEnded: () => void = () => {};
  const connected = new Promise<void>((resolve, reject) => {
    resolveConnected = resolve;
    rejectConnected = reject;
  });
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const request = http.get(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } }, (response) => {
    if (response.statusCode !== 200) {
      // Thrown here it would be an uncaught exception: the benchmark waiting on `connected` gets it.
      rejectConnected(new Error(`${url}: ${response.statusCode}`));
      resolveEnded();
      response.resume();
      return;
    }
    response.setEncoding('utf8');
    let buffer = '';
    response.on('data', (chunk: string) => {
      resolveConnected();
      const receivedAt = performance.now();
      buffer = buffer.length === 0 ? chunk : buffer + chunk;
      // One pass over what arrived: each event ends with a blank line; what follows the last stays.
      let start = 0;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n', start)) {
        const data = eventData(buffer, start, end);
        if (data !== undefined && data.startsWith('{')) onLine(JSON.parse(data) as Line, receivedAt);
        start = end + 2;
      }
      buffer = start === buffer.length ? '' : buffer.slice(start);
    });
    response.on('end', resolveEnded);
    response.on('close', resolveEnded);
  });
  request.on('error', (err) => {
    rejectConnected(err);
    resolveEnded();
  });
  return { connected, ended, close: () => request.destroy() };
}

/** The data of the event in text[start, end): its `data:` fields' values joined by newlines. */
function eventData(text: string, start: number, end: number): string | undefined {
  let data: string | undefined;
  for (let at = start; at < end; ) {
    const newline = text.indexOf('\n', at);
    const eol = newline < 0 || newline > end ? end : newline;
    if (text.startsWith('data:', at)) {
      const from = text.charCodeAt(at + 5) === 32 ? at + 6 : at + 5;
      const value = text.slice(from, eol);
      data = data === undefined ? value : `${data}\n${value}`;
    }
    at = eol + 1;
  }
  return data;
}
