// POST /rpc/v2/ping: a runner checks that it can reach the server.

import type { FastifyInstance } from 'fastify';

export function registerPing(app: FastifyInstance): void {
  app.post('/ping', async (_request, reply) => reply.code(200).send());
  // Join/leave: no-ops in Drone, kept so runners that call them get 200.
  app.post('/nodes/:machine', async (_request, reply) => reply.code(200).send());
  app.delete('/nodes/:machine', async (_request, reply) => reply.code(200).send());
}
