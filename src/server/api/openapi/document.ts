// The OpenAPI 3.1 document of the REST API, served at /api/openapi.json. @fastify/swagger collects every
// route as it is registered and fastify-type-provider-zod turns each route's zod schemas into JSON Schema,
// so the document is never written beside the code. Only /api routes are listed: the runner protocol,
// webhooks and the login pages are not a client API.

import type { SwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { VERSION } from '../../../version.js';
import type { ApiApp } from '../schemas.js';

export const openApiOptions: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: { title: 'Hangar API (Drone compatible)', version: VERSION },
    components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
    security: [{ token: [] }],
  },
  transform: (input) => {
    const transformed = jsonSchemaTransform(input);
    if (!input.url.startsWith('/api/')) return { ...transformed, schema: { ...transformed.schema, hide: true } };
    return transformed;
  },
};

export function registerOpenApiDocument(app: ApiApp): void {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
