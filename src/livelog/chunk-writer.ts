// Tier b of the logs (DESIGN §3.6): the lines this server received, written once a second in one
// multi-row insert, never per line. A stage that loses its runner keeps them as its log.

import type { LogStore } from '../core/store.js';
import type { Line } from '../core/types.js';

export class ChunkWriter {
  private pending = new Map<number, Line[]>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly logs: LogStore,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  add(stepId: number, lines: Line[]): void {
    if (lines.length === 0) return;
    const buffered = this.pending.get(stepId);
    if (buffered) buffered.push(...lines);
    else this.pending.set(stepId, [...lines]);
  }

  /** Writes what is buffered; a step's buffer is flushed before its upload is merged. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const chunks = [...batch].map(([stepId, lines]) => ({ stepId, lines }));
    this.flushing = this.logs
      .appendChunks(chunks)
      .catch((err) => {
        // Put the lines back for the next flush; the upload remains the authority either way.
        for (const chunk of chunks) this.add(chunk.stepId, chunk.lines);
        this.onError(err);
      })
      .finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
