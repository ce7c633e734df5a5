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
      buffer += chunk;
      let boundary = buffer.indexOf('\n\n');
      while (boundary >= 0) {
        const event = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data = event
          .split('\n')
          .filter((field) => field.startsWith('data:'))
          .map((field) => field.slice(5).trimStart())
          .join('\n');
        if (data.startsWith('{')) onLine(JSON.parse(data) as Line, receivedAt);
        boundary = buffer.indexOf('\n\n');
      }
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
