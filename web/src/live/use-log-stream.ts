// A step's log as it is written: GET /api/stream/{owner}/{name}/{build}/{stage}/{step} sends every line
// the step has (from the database for a finished step) and then the live ones, each with `id: <pos>`, so a
// reconnect (to any server, by the browser with Last-Event-ID or by a new connection with `?after=`) resumes
// after the last line seen. Lines are gathered and handed to React at
// most once per animation frame, so a fast step does not re-render per line.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { RepoRef } from '../api/paths';
import type { Line } from '../api/types';
import { useEventSource } from './event-source';

export type LogState = 'connecting' | 'streaming' | 'ended' | 'failed';

export interface LogStream {
  lines: Line[];
  state: LogState;
}

export function useLogStream(repo: RepoRef, build: number, stage: number, step: number): LogStream {
  const [lines, setLines] = useState<Line[]>([]);
  const [state, setState] = useState<LogState>('connecting');
  const pending = useRef<Line[]>([]);
  const lastPos = useRef(-1);
  const frame = useRef<number | null>(null);

  const flush = useCallback(() => {
    frame.current = null;
    const batch = pending.current;
    pending.current = [];
    if (batch.length > 0) setLines((current) => current.concat(batch));
  }, []);

  const onMessage = useCallback(
    (data: string) => {
      const line = JSON.parse(data) as Line;
      // The server never repeats a line; this guards against a resumed stream that overlaps anyway.
      if (line.pos <= lastPos.current) return;
      lastPos.current = line.pos;
      pending.current.push(line);
      frame.current ??= requestAnimationFrame(flush);
    },
    [flush],
  );

  useEffect(() => () => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
  }, []);

  const path = `/stream/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/${build}/${stage}/${step}`;
  useEventSource(
    path,
    {
      onMessage,
      onOpen: () => setState((current) => (current === 'ended' ? current : 'streaming')),
      onEnd: () => {
        flush();
        setState('ended');
      },
      onFailure: () => setState('failed'),
    },
    { closeOnEnd: true, resume: () => (lastPos.current >= 0 ? { after: lastPos.current } : {}) },
  );
  return { lines, state };
}
