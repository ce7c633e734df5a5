// The hold of a long-poll: ends when the hold time passes, the runner disconnects (the response's `close`
// event) or the server starts draining.

import type { FastifyReply } from 'fastify';
import type { Drain } from '../drain.js';

export interface Hold {
  signal: AbortSignal;
  /** True when the runner went away: nothing can be delivered to it. */
  gone(): boolean;
  end(): void;
}

export function holdRequest(reply: FastifyReply, holdMs: number, drain: Drain): Hold {
  const controller = new AbortController();
  let gone = false;
  const abort = () => controller.abort();
  const timer = setTimeout(abort, holdMs);
  const onClose = () => {
    if (!reply.raw.writableEnded) gone = true;
    abort();
  };
  reply.raw.on('close', onClose);
  drain.signal.addEventListener('abort', abort, { once: true });
  if (drain.started) abort();
  return {
    signal: controller.signal,
    gone: () => gone || reply.raw.destroyed,
    end() {
      clearTimeout(timer);
      reply.raw.off('close', onClose);
      drain.signal.removeEventListener('abort', abort);
    },
  };
}
