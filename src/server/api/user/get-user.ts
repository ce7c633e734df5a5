// GET /api/user: the current user.

import type { FastifyInstance } from 'fastify';
import { requireUser } from '../access.js';

export function registerGetUser(app: FastifyInstance): void {
  app.get('/user', async (request) => requireUser(request));
}
