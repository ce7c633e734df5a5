// One EventSource for as long as a component wants it. Drone's streams end with `event: error` /
// `data: eof`: that is the end of the stream, told apart from a lost connection. After a lost connection
// the browser reconnects by itself, sending Last-Event-ID; but when its reconnection is refused (a load
// balancer answering 502/503 for a server that just died) it gives up, so a new EventSource is opened,
// with backoff, resuming through the query (`resume`: a new EventSource cannot send Last-Event-ID).

import { useEffect, useRef } from 'react';
import { type Query, streamUrl } from '../api/client';

/** Consecutive refused connections after which the stream is reported lost (it is still retried). */
const FAILURES_REPORTED = 4;
const MAX_RETRY_MS = 5_000;

export interface StreamHandlers {
  onMessage(data: string): void;
  /** The server said the stream is over (`eof`). */
  onEnd?(): void;
  /** The stream could not be opened again after several tries. */
  onFailure?(): void;
  /** The stream is open, after a start or a reconnect. */
  onOpen?(): void;
}

interface StreamOptions {
  /** Close on eof (a log is complete); otherwise the stream is reopened (live events never end). */
  closeOnEnd: boolean;
  /** The query that resumes the stream where it stopped, for a new connection. */
  resume?: () => Query;
}

export function useEventSource(path: string | null, handlers: StreamHandlers, options: StreamOptions): void {
  const latest = useRef({ handlers, options });
  latest.current = { handlers, options };

  useEffect(() => {
    if (!path) return;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;

    const open = () => {
      const current = new EventSource(streamUrl(path, latest.current.options.resume?.() ?? {}));
      source = current;
      current.onopen = () => {
        failures = 0;
        latest.current.handlers.onOpen?.();
      };
      current.onmessage = (event: MessageEvent<string>) => latest.current.handlers.onMessage(event.data);
      current.addEventListener('error', (event) => {
        if (event instanceof MessageEvent && event.data === 'eof') {
          if (latest.current.options.closeOnEnd) current.close();
          latest.current.handlers.onEnd?.();
        } else if (current.readyState === EventSource.CLOSED) {
          failures += 1;
          if (failures === FAILURES_REPORTED) latest.current.handlers.onFailure?.();
          retry = setTimeout(open, Math.min(MAX_RETRY_MS, 250 * 2 ** failures));
        }
      });
    };

    open();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, [path]);
}
