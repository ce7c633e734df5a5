import { describe, expect, it } from 'vitest';
import type { Line } from '../../../src/core/types.js';
import { LogWriter } from '../../../src/runner/livelog.js';
import { Masker } from '../../../src/runner/mask.js';

function sink() {
  const batches: Array<{ at: number; lines: Line[] }> = [];
  const uploads: Line[][] = [];
  return {
    batches,
    uploads,
    batch: async (lines: Line[]) => void batches.push({ at: Date.now(), lines }),
    upload: async (lines: Line[]) => void uploads.push(lines),
  };
}

/** Polls a condition of the sink (batches arrive from timers inside the writer). */
function waitFor(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      if (condition()) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
}

describe('step log writer', () => {
  it('numbers lines from 0, keeps their newlines, and uploads them all at close', async () => {
    const target = sink();
    const writer = new LogWriter(target, new Masker([]), { flushMs: 20 });
    writer.write('one\ntwo\n');
    writer.write('thr');
    writer.write('ee\n');
    await writer.close();
    expect(target.uploads).toEqual([
      [
        { pos: 0, out: 'one\n', time: 0 },
        { pos: 1, out: 'two\n', time: 0 },
        { pos: 2, out: 'three\n', time: 0 },
      ],
    ]);
    expect(target.batches.flatMap((b) => b.lines)).toEqual(target.uploads[0]);
  });

  it('sends a live batch within the flush interval of a write', async () => {
    const target = sink();
    const writer = new LogWriter(target, new Masker([]), { flushMs: 100 });
    const written = Date.now();
    writer.write('hello\n');
    await waitFor(() => target.batches.length > 0);
    expect(target.batches[0].lines).toEqual([{ pos: 0, out: 'hello\n', time: 0 }]);
    // Generous bound: the flush interval plus scheduling, well under Drone's 1 s.
    expect(target.batches[0].at - written).toBeLessThan(500);
    await writer.close();
  });

  it('sends the first line after a quiet interval at once, then at most one batch per interval', async () => {
    const target = sink();
    const flushMs = 400;
    const writer = new LogWriter(target, new Masker([]), { flushMs });
    const written = Date.now();
    writer.write('first\n');
    await waitFor(() => target.batches.length === 1);
    // Well under the interval: the line did not wait for it.
    expect(target.batches[0].at - written).toBeLessThan(flushMs / 2);
    writer.write('second\n');
    writer.write('third\n');
    await waitFor(() => target.batches.length === 2);
    expect(target.batches[1].lines.map((line) => line.out)).toEqual(['second\n', 'third\n']);
    expect(target.batches[1].at - target.batches[0].at).toBeGreaterThanOrEqual(flushMs - 20);
    await writer.close();
  });

  it('masks a secret that arrives split across two writes', async () => {
    const target = sink();
    const writer = new LogWriter(target, new Masker(['s3cr3t-value']), { flushMs: 10 });
    writer.write('the value is s3cr');
    writer.write('3t-value ok\n');
    await writer.close();
    const text = target.uploads[0].map((l) => l.out).join('');
    expect(text).toBe('the value is ****** ok\n');
    expect(JSON.stringify(target.batches)).not.toContain('s3cr3t');
  });

  it('keeps only the most recent 5 MiB and stops streaming past it, with positions counting on', async () => {
    const target = sink();
    const writer = new LogWriter(target, new Masker([]), { flushMs: 1000, limitBytes: 100 });
    for (let i = 0; i < 30; i++) writer.write(`line ${String(i).padStart(3, '0')}\n`);
    await writer.close();
    const uploaded = target.uploads[0];
    expect(uploaded.reduce((n, l) => n + l.out.length, 0)).toBeLessThanOrEqual(100);
    expect(uploaded.at(-1)).toMatchObject({ pos: 29, out: 'line 029\n' });
    expect(uploaded.map((l) => l.pos)).toEqual(uploaded.map((_, i) => 30 - uploaded.length + i));
    expect(target.batches).toHaveLength(0);
  });

  it('emits a partial line at close', async () => {
    const target = sink();
    const writer = new LogWriter(target, new Masker([]), { flushMs: 10 });
    writer.write('no newline at the end');
    await writer.close();
    expect(target.uploads[0]).toEqual([{ pos: 0, out: 'no newline at the end', time: 0 }]);
  });

  it('masks a very long line whole, then cuts it into pieces of at most 64 KiB', async () => {
    const target = sink();
    const writer = new LogWriter(target, new Masker(['needle-secret']), { flushMs: 10 });
    const long = `${'a'.repeat(65_530)}needle-secret${'b'.repeat(70_000)}\n`;
    writer.write(long);
    await writer.close();
    const uploaded = target.uploads[0];
    expect(uploaded.length).toBeGreaterThan(1);
    expect(uploaded.every((l) => l.out.length <= 64 * 1024)).toBe(true);
    expect(uploaded.map((l) => l.pos)).toEqual(uploaded.map((_, i) => i));
    expect(uploaded.map((l) => l.out).join('')).toBe(long.replace('needle-secret', '******'));
  });

  it('counts the limit in bytes, as Drone does', async () => {
    const target = sink();
    const writer = new LogWriter(target, new Masker([]), { flushMs: 1000, limitBytes: 40 });
    // 10 lines of 3 two-byte characters and a newline: 7 bytes each, 4 characters each.
    for (let i = 0; i < 10; i++) writer.write('ééé\n');
    await writer.close();
    expect(target.uploads[0]).toHaveLength(5);
  });
});
