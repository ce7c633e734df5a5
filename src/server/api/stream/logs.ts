// GET /api/stream/{owner}/{name}/{build}/{stage}/{step}: a step's log, live (DESIGN §3.6). Each line is
// an event with `id: <pos>`; a reconnect with `Last-Event-ID` resumes after that line, on any server.
// Lines come from the live stream; whatever the stream does not hold (a late joiner, a stream Redis lost,
// a gap) comes from the database (chunks and the stored log), so a viewer sees every line once, in order.

import { z } from 'zod';
import { isDone } from '../../../core/status.js';
import type { Line } from '../../../core/types.js';
import type { ServerContext } from '../../context.js';
import { loadStep } from '../builds/params.js';
import { type ApiApp, StepParams } from '../schemas.js';
import { openSse, sseEvent } from './sse.js';

const Query = z.object({ after: z.coerce.number().int().min(-1).optional() });

/** While following, how often the step's status is re-read (a stream whose end was lost still ends). */
const STATUS_CHECK_MS = 3_000;
/**
 * A line missing from the live stream (the server that received it could not reach Redis) reaches the
 * database with that server's next chunk write, within about a second: wait that long for it.
 */
const GAP_WAIT_MS = 2_500;
const GAP_RETRY_MS = 250;

/**
 * A line's event, made once: the live stream hands the same line object to every viewer of the step on
 * this server.
 */
const events = new WeakMap<Line, string>();
function lineEvent(line: Line): string {
  let text = events.get(line);
  if (text === undefined) {
    text = sseEvent(JSON.stringify(line), line.pos);
    events.set(line, text);
  }
  return text;
}

export function registerLogStream(app: ApiApp, ctx: ServerContext): void {
  app.get('/stream/:owner/:name/:number/:stage/:step', { schema: { params: StepParams, querystring: Query } }, async (request, reply) => {
    const step = await loadStep(ctx, request, 'read');
    const resumeFrom = Number(request.headers['last-event-id'] ?? request.query.after ?? -1);
    const stream = openSse(request, reply, ctx.drain);
    let sent = Number.isInteger(resumeFrom) ? resumeFrom : -1;

    const sendFromDatabase = async (below = Number.POSITIVE_INFINITY): Promise<void> => {
      const stored = (await ctx.store.logs.find(step.id)) ?? [];
      let text = '';
      for (const line of stored) if (line.pos < below) text += take(line);
      stream.sendEvents(text);
    };
    /** The line's event when it was not sent yet, and the line marked sent; '' otherwise. */
    function take(line: Line): string {
      if (line.pos <= sent) return '';
      sent = line.pos;
      return lineEvent(line);
    }

    if (isDone(step.status)) {
      await sendFromDatabase();
      return stream.end();
    }

    // Live lines are queued while the database fills any gap below them, so order holds.
    let queue: Line[] = [];
    let filling: Promise<void> = Promise.resolve();
    let ended = false;
    const fillGap = async (below: number) => {
      const deadline = Date.now() + GAP_WAIT_MS;
      await sendFromDatabase(below);
      while (sent < below - 1 && Date.now() < deadline && stream.isOpen()) {
        await new Promise((resolve) => setTimeout(resolve, GAP_RETRY_MS));
        await sendFromDatabase(below);
      }
    };
    const flush = async () => {
      const pending = queue;
      queue = [];
      let text = '';
      for (const line of pending) {
        if (line.pos > sent + 1) {
          // A gap: what is ready goes first, then the database fills the gap.
          stream.sendEvents(text);
          text = '';
          await fillGap(line.pos);
        }
        text += take(line);
      }
      stream.sendEvents(text);
    };
    const stop = ctx.livelog.tail(
      step.id,
      sent,
      (line) => {
        queue.push(line);
        // One flush takes every line queued before it runs.
        if (queue.length === 1) filling = filling.then(flush).catch(() => undefined);
      },
      () => {
        ended = true;
        filling = filling.then(() => finish()).catch(() => undefined);
      },
    );
    const finish = async () => {
      stop();
      await flush();
      await sendFromDatabase();
      stream.end();
    };
    // The first lines may predate the stream (or the stream may be gone): the database has them.
    filling = filling.then(() => sendFromDatabase(Number.POSITIVE_INFINITY)).catch(() => undefined);
    const check = setInterval(async () => {
      if (ended || !stream.isOpen()) return;
      const current = await ctx.store.stages.findStep(step.id).catch(() => undefined);
      if (current && isDone(current.status)) {
        ended = true;
        filling = filling.then(() => finish()).catch(() => undefined);
      }
    }, STATUS_CHECK_MS);
    await stream.closed;
    clearInterval(check);
    stop();
  });
}
