// A step's log on its way to the server (research/drone-runner.md §2.2–2.5): lines with `pos` from 0 and
// `time` in seconds since the step started, masked, sent in live batches at most once per flush interval
// (Hangar: 50 ms; Drone's runner: 1 s), and uploaded whole when the step ends. Unlike Drone's runner,
// which always waits the interval, the first lines after a quiet interval go out at once: a step's
// output shows without delay, and a busy step still sends one batch per interval. Past 5 MiB the live stream
// stops and the oldest lines are dropped from the upload, as Drone's runner does. Output is cut into
// lines at newlines; a partial line waits for its end (so a secret split across writes is still masked)
// unless it has waited a whole second or grown past 64 KiB. Lines longer than 64 KiB are cut after masking.

import type { Line } from '../core/types.js';
import type { Masker } from './mask.js';

export interface LogSink {
  batch(lines: Line[]): Promise<void>;
  upload(lines: Line[]): Promise<void>;
}

export interface LogWriterOptions {
  flushMs: number;
  /** Bytes of output kept (Drone's runner: 5 MiB). */
  limitBytes?: number;
  /** Also called with each masked line (for `hangar exec` output). */
  onLine?: (line: Line) => void;
}

const PARTIAL_LINE_MAX = 64 * 1024;
const PARTIAL_LINE_WAIT_MS = 1000;

export class LogWriter {
  private readonly started = Date.now();
  private readonly history: Line[] = [];
  private pending: Line[] = [];
  private size = 0;
  private pos = 0;
  private streaming = true;
  private partial = '';
  private partialSince = 0;
  private timer?: NodeJS.Timeout;
  private lastFlush = 0;
  private sending: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly sink: LogSink,
    private readonly masker: Masker,
    private readonly options: LogWriterOptions,
  ) {}

  write(text: string): void {
    if (this.closed || text === '') return;
    if (this.partial === '') this.partialSince = Date.now();
    this.partial += text;
    let newline = this.partial.indexOf('\n');
    while (newline !== -1) {
      this.emit(this.partial.slice(0, newline + 1));
      this.partial = this.partial.slice(newline + 1);
      this.partialSince = Date.now();
      newline = this.partial.indexOf('\n');
    }
    if (this.partial.length > PARTIAL_LINE_MAX) this.emitPartial();
    this.schedule();
  }

  /** Everything written so far, as the upload will carry it. */
  lines(): Line[] {
    return [...this.history];
  }

  /** Flushes the last batch, then uploads the whole log (retried by the sink). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.emitPartial();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.flush();
    await this.sending;
    await this.sink.upload(this.history);
  }

  private emitPartial(): void {
    if (this.partial === '') return;
    this.emit(this.partial);
    this.partial = '';
  }

  /** Masks a whole line, then records it (cut into pieces of at most 64 KiB, so no line outgrows the limit). */
  private emit(out: string): void {
    const masked = this.masker.mask(out);
    for (let start = 0; start < masked.length; start += PARTIAL_LINE_MAX) this.record(masked.slice(start, start + PARTIAL_LINE_MAX));
  }

  private record(out: string): void {
    const line: Line = { pos: this.pos++, out, time: Math.floor((Date.now() - this.started) / 1000) };
    this.history.push(line);
    this.size += Buffer.byteLength(line.out);
    const limit = this.options.limitBytes ?? 5 * 1024 * 1024;
    while (this.size > limit && this.history.length > 1) {
      this.streaming = false;
      this.size -= Buffer.byteLength((this.history.shift() as Line).out);
    }
    if (this.streaming) this.pending.push(line);
    this.options.onLine?.(line);
  }

  /** The next batch leaves one flush interval after the last one, or now (next tick) after a quiet one. */
  private schedule(): void {
    if (this.timer || this.closed) return;
    const wait = Math.max(0, this.lastFlush + this.options.flushMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.partial !== '' && Date.now() - this.partialSince >= PARTIAL_LINE_WAIT_MS) this.emitPartial();
      this.flush();
      if (this.partial !== '') this.schedule();
    }, wait);
  }

  /** Sends what is pending; batches go one after another, so they arrive in order. */
  private flush(): void {
    if (this.pending.length === 0 || !this.streaming) {
      this.pending = [];
      return;
    }
    const batch = this.pending;
    this.pending = [];
    this.lastFlush = Date.now();
    this.sending = this.sending.then(() => this.sink.batch(batch)).catch(() => undefined);
  }
}
