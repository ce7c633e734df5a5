// Live logs over Redis Streams (DESIGN §3.6 tier a): one stream per step, `drone-log-<step id>`, one entry
// per batch whose id is its last line's position (`<pos+1>-0`), so a repeated or late batch is rejected by
// Redis itself and every server reads the same order; a reader skips lines it already delivered (a batch
// sent again with more lines). One entry per batch, not per line: a line costs Redis and the servers a
// fraction of an XADD. The step's end is an `eof` entry with the largest possible id,
// after which nothing more is accepted. One tailer per server reads every followed stream with a single
// blocking XREAD on its own connection. Nothing here is awaited by a request: Redis may be down.

import type { Redis } from 'ioredis';
import type { Unsubscribe } from '../core/bus.js';
import type { LiveLog } from '../core/livelog.js';
import type { Line } from '../core/types.js';

const EOF_ID = '18446744073709551615-18446744073709551615';
/** Streams of running steps expire if nothing ends them (their runner and server died). */
const RUNNING_TTL_SECONDS = 5 * 3600;
/** An ended stream stays readable for reconnecting viewers. */
const ENDED_TTL_SECONDS = 600;
const MAX_LINES = 10_000;
const BLOCK_MS = 1000;

export interface RedisLiveLogOptions {
  /** The fail-fast command connection. */
  commands: Redis;
  /** A connection for the tailer's blocking reads only. */
  tailer: Redis;
  onError?: (err: unknown) => void;
}

interface Follower {
  /** The highest position delivered. */
  pos: number;
  onLine: (line: Line) => void;
  onEnd: () => void;
}

export const streamKey = (stepId: number): string => `drone-log-${stepId}`;

export class RedisLiveLog implements LiveLog {
  private readonly followers = new Map<string, Set<Follower>>();
  private readonly opened = new Set<number>();
  private running = true;
  private wakeLoop?: () => void;
  private tailerId?: number;
  private readonly loop: Promise<void>;

  constructor(private readonly options: RedisLiveLogOptions) {
    this.loop = this.readLoop();
  }

  open(stepId: number): void {
    this.opened.add(stepId);
  }

  async write(stepId: number, lines: Line[]): Promise<void> {
    if (lines.length === 0) return;
    const key = streamKey(stepId);
    const sorted = [...lines].sort((a, b) => a.pos - b.pos);
    const last = sorted[sorted.length - 1].pos;
    const pipeline = this.options.commands.pipeline();
    // Keeps the entries of about the last MAX_LINES positions, whatever the batch sizes.
    pipeline.xadd(key, 'MINID', '~', Math.max(0, last + 1 - MAX_LINES), `${last + 1}-0`, 'lines', JSON.stringify(sorted));
    pipeline.expire(key, RUNNING_TTL_SECONDS);
    // Per-entry errors are expected (a line already there has an id not above the top): ignored. The
    // command connection fails fast (no offline queue, a short timeout): Redis down costs no wait.
    await pipeline.exec().catch((err: unknown) => this.options.onError?.(err));
  }

  close(stepId: number): void {
    this.opened.delete(stepId);
    const key = streamKey(stepId);
    this.options.commands
      .pipeline()
      .xadd(key, EOF_ID, 'eof', '1')
      .expire(key, ENDED_TTL_SECONDS)
      .exec()
      .catch((err: unknown) => this.options.onError?.(err));
  }

  tail(stepId: number, after: number, onLine: (line: Line) => void, onEnd: () => void): Unsubscribe {
    const key = streamKey(stepId);
    const follower: Follower = { pos: after, onLine, onEnd };
    let set = this.followers.get(key);
    if (!set) {
      set = new Set();
      this.followers.set(key, set);
    }
    set.add(follower);
    this.interruptRead();
    return () => {
      const current = this.followers.get(key);
      if (!current) return;
      current.delete(follower);
      if (current.size === 0) this.followers.delete(key);
    };
  }

  size(): number {
    return this.opened.size;
  }

  async shutdown(): Promise<void> {
    this.running = false;
    this.interruptRead();
    await this.loop;
  }

  /** One blocking XREAD for every followed stream, from the lowest position any follower of it has. */
  private async readLoop(): Promise<void> {
    while (this.running) {
      if (this.followers.size === 0) {
        await new Promise<void>((resolve) => (this.wakeLoop = resolve));
        this.wakeLoop = undefined;
        continue;
      }
      const keys = [...this.followers.keys()];
      const ids = keys.map((key) => `${Math.min(...[...(this.followers.get(key) ?? [])].map((f) => f.pos)) + 1}-0`);
      try {
        this.tailerId ??= Number(await this.options.tailer.client('ID'));
        const reply = (await this.options.tailer.xread('COUNT', 1000, 'BLOCK', BLOCK_MS, 'STREAMS', ...keys, ...ids)) as Array<[string, Array<[string, string[]]>]> | null;
        for (const [key, entries] of reply ?? []) this.deliver(key, entries);
      } catch (err) {
        if (!this.running) break;
        this.tailerId = undefined;
        this.options.onError?.(err);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private deliver(key: string, entries: Array<[string, string[]]>): void {
    const followers = this.followers.get(key);
    if (!followers) return;
    for (const [id, fields] of entries) {
      if (id === EOF_ID || fields[0] === 'eof') {
        for (const follower of followers) follower.onEnd();
        this.followers.delete(key);
        return;
      }
      for (const line of parseLines(fields)) {
        for (const follower of followers) {
          if (line.pos <= follower.pos) continue;
          follower.pos = line.pos;
          follower.onLine(line);
        }
      }
    }
  }

  /** A new follower should not wait for the current blocking read to time out. */
  private interruptRead(): void {
    this.wakeLoop?.();
    if (this.tailerId !== undefined) {
      this.options.commands.client('UNBLOCK', this.tailerId).catch(() => undefined);
    }
  }
}

/** The lines of an entry: a batch (`lines`), or one line as servers before batches wrote it (`line`). */
function parseLines(fields: string[]): Line[] {
  const batch = fields.indexOf('lines');
  const single = fields.indexOf('line');
  try {
    if (batch >= 0) {
      const lines = JSON.parse(fields[batch + 1]) as unknown;
      return Array.isArray(lines) ? lines.filter((line: Line) => typeof line?.pos === 'number') : [];
    }
    if (single >= 0) {
      const line = JSON.parse(fields[single + 1]) as Line;
      return typeof line.pos === 'number' ? [line] : [];
    }
  } catch {
    // A malformed entry is skipped: the stored log still has its lines.
  }
  return [];
}
