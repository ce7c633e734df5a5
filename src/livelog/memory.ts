// Live log streams held in this process (the single-node default). Each step keeps a ring of its most
// recent lines, ordered by position; repeats and late lines are dropped from the live view only.

import type { Unsubscribe } from '../core/bus.js';
import type { LiveLog } from '../core/livelog.js';
import type { Line } from '../core/types.js';

interface Tail {
  after: number;
  onLine: (line: Line) => void;
  onEnd: () => void;
}

interface Stream {
  lines: Line[];
  top: number;
  ended: boolean;
  tails: Set<Tail>;
  dropTimer?: NodeJS.Timeout;
}

export interface MemoryLiveLogOptions {
  /** Lines kept per step for late joiners (Drone keeps 5000). */
  historyLines?: number;
  /** How long an ended stream stays readable before it is dropped. */
  endedRetentionMs?: number;
}

export class MemoryLiveLog implements LiveLog {
  private readonly streams = new Map<number, Stream>();
  private readonly historyLines: number;
  private readonly endedRetentionMs: number;

  constructor(options: MemoryLiveLogOptions = {}) {
    this.historyLines = options.historyLines ?? 5000;
    this.endedRetentionMs = options.endedRetentionMs ?? 60_000;
  }

  open(stepId: number): void {
    this.stream(stepId);
  }

  async write(stepId: number, lines: Line[]): Promise<void> {
    const stream = this.stream(stepId);
    if (stream.ended) return;
    for (const line of [...lines].sort((a, b) => a.pos - b.pos)) {
      if (line.pos <= stream.top) continue;
      stream.top = line.pos;
      stream.lines.push(line);
      for (const tail of stream.tails) tail.onLine(line);
    }
    if (stream.lines.length > this.historyLines) stream.lines.splice(0, stream.lines.length - this.historyLines);
  }

  close(stepId: number): void {
    const stream = this.stream(stepId);
    if (stream.ended) return;
    stream.ended = true;
    for (const tail of stream.tails) tail.onEnd();
    stream.tails.clear();
    clearTimeout(stream.dropTimer);
    stream.dropTimer = setTimeout(() => {
      if (this.streams.get(stepId) === stream) this.streams.delete(stepId);
    }, this.endedRetentionMs);
    stream.dropTimer.unref();
  }

  tail(stepId: number, after: number, onLine: (line: Line) => void, onEnd: () => void): Unsubscribe {
    const stream = this.stream(stepId);
    for (const line of stream.lines) if (line.pos > after) onLine(line);
    if (stream.ended) {
      onEnd();
      return () => {};
    }
    const tail: Tail = { after, onLine, onEnd };
    stream.tails.add(tail);
    return () => stream.tails.delete(tail);
  }

  size(): number {
    let open = 0;
    for (const stream of this.streams.values()) if (!stream.ended) open += 1;
    return open;
  }

  /** The step's stream, created on first sight (a batch or a viewer may come before the step's start). */
  private stream(stepId: number): Stream {
    let stream = this.streams.get(stepId);
    if (!stream) {
      stream = { lines: [], top: -1, ended: false, tails: new Set() };
      this.streams.set(stepId, stream);
      // A stream nobody ends (its runner vanished) is dropped after a while; its log lives in the database.
      const created = stream;
      created.dropTimer = setTimeout(() => {
        if (this.streams.get(stepId) === created) this.streams.delete(stepId);
      }, 6 * 3_600_000);
      created.dropTimer.unref();
    }
    return stream;
  }
}
