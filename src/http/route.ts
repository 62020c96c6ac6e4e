import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Access, Viewer } from './access.js';
import { AppError } from './app-error.js';

/**
 * How every route is declared: its method and address, who may use it (access.ts), and zod
 * schemas for its parameters, query and body (schemas.ts). Fastify's zod type provider validates
 * the request against them before the handler runs, and a refusal reaches the one error handler
 * (errors.tsx); the handler receives the parsed values, typed, and the signed-in person typed by
 * the access rule: a route for readers or staff gets a `Viewer`, never `null`. The same schemas
 * make the OpenAPI document (openapi.ts).
 */

export type RouteSchema = Readonly<{
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  /** For the OpenAPI document: what the route does, in a line. */
  summary?: string;
  /** For the OpenAPI document: the feature it belongs to. */
  tags?: readonly string[];
}>;

type Parsed<
  S extends RouteSchema,
  K extends 'params' | 'querystring' | 'body',
> = S[K] extends z.ZodType ? z.output<S[K]> : undefined;

/** Who a handler serves: anyone (maybe no one signed in) on a public route, else a person. */
export type ViewerFor<A extends Access> = A extends 'public' ? Viewer | null : Viewer;

/** A request as a handler of a declared route sees it: parsed input, typed viewer. */
export type RouteRequest<A extends Access, S extends RouteSchema> = Omit<
  FastifyRequest,
  'params' | 'query' | 'body' | 'viewer'
> & {
  params: Parsed<S, 'params'>;
  query: Parsed<S, 'querystring'>;
  body: Parsed<S, 'body'>;
  viewer: ViewerFor<A>;
};

export type RouteSpec<A extends Access, S extends RouteSchema> = Readonly<{
  method: 'GET' | 'POST';
  url: string;
  access: A;
  schema: S;
  /** A larger body than the app's default (the editors' long texts). */
  bodyLimit?: number;
}>;

export type RouteHandler<A extends Access, S extends RouteSchema> = (
  request: RouteRequest<A, S>,
  reply: FastifyReply,
) => unknown;

export function route<const A extends Access, const S extends RouteSchema>(
  app: FastifyInstance,
  spec: RouteSpec<A, S>,
  handler: RouteHandler<A, S>,
): void {
  const { params, querystring, body, summary, tags } = spec.schema;
  // An address with parameters, or a form, read without a schema is what this helper exists to
  // end: refused at registration, like a route without access (access.ts).
  if (spec.url.includes(':') && !params)
    throw new Error(`${spec.method} ${spec.url} has parameters but no params schema (route.ts)`);
  if (spec.method === 'POST' && !body)
    throw new Error(`${spec.method} ${spec.url} takes a form but has no body schema (route.ts)`);
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.url,
    config: { access: spec.access },
    ...(spec.bodyLimit === undefined ? {} : { bodyLimit: spec.bodyLimit }),
    schema: {
      ...(params ? { params } : {}),
      ...(querystring ? { querystring } : {}),
      // Forms post urlencoded; the enhanced forms and API clients may send JSON.
      ...(body
        ? { body, consumes: ['application/x-www-form-urlencoded', 'application/json'] }
        : {}),
      ...(summary === undefined ? {} : { summary }),
      ...(tags === undefined ? {} : { tags: [...tags] }),
    },
    handler: (request, reply) => {
      // The access guard (access.ts) ran before validation and refused anyone the rule does not
      // admit; this keeps the handler's type honest should that ever change.
      if (spec.access !== 'public' && request.viewer === null)
        throw new AppError('UNAUTHENTICATED', 'no session on a route that needs one');
      // The type provider parsed params, query and body with these schemas: the request now
      // holds their outputs, which is what RouteRequest says.
      return handler(request as unknown as RouteRequest<A, S>, reply);
    },
  });
}
