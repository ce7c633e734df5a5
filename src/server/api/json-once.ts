// An answer that is the same object as before (a cached page) is serialised once, not once per request.

import type { FastifyReply } from 'fastify';

const serialized = new WeakMap<object, string>();

export function sendJsonOnce(reply: FastifyReply, value: object): FastifyReply {
  let text = serialized.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    serialized.set(value, text);
  }
  return reply.type('application/json; charset=utf-8').send(text);
}
