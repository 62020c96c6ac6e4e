import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { STAFF_ROLES } from './access.js';
import { route } from './route.js';

/**
 * Schemas at the edge: Fastify validates every route's params, query and body with its zod
 * schemas (route.ts), and @fastify/swagger collects the same schemas into an OpenAPI 3.1
 * document. Must be registered before any route, since both watch routes as they are added.
 */
export async function registerSchemas(
  app: FastifyInstance,
  info: Readonly<{ title: string; version: string }>,
): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  // Every route goes through route() (route.ts), which always gives Fastify a schema object.
  app.addHook('onRoute', (options) => {
    if (options.schema === undefined)
      throw new Error(`${options.method.toString()} ${options.url} declares no schema (route.ts)`);
  });
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        ...info,
        description:
          'Every route of the site, pages and forms included, with the schemas its input is ' +
          'validated against. Pages answer HTML; a client that sends `Accept: application/json` ' +
          'gets errors as `{"error":{"code","message"}}`.',
      },
    },
    transform: jsonSchemaTransform,
  });
}

/**
 * The document, for staff only until the public API decides what it promises: it lists every
 * route, the newsroom's and the standards board's included.
 */
export function registerOpenApiRoute(app: FastifyInstance): void {
  route(
    app,
    {
      method: 'GET',
      url: '/api/openapi.json',
      access: STAFF_ROLES,
      schema: { summary: 'This document: every route and its input schemas', tags: ['platform'] },
    },
    (_request, reply) => reply.header('cache-control', 'private, no-store').send(app.swagger()),
  );
}
