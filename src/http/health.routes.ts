import type { FastifyInstance } from 'fastify';
import { pingDatabase } from '../db/db.js';
import type { AppDeps } from '../deps.js';
import { requestLog } from './request-log.js';
import { route } from './route.js';

/**
 * /healthz: the process answers. /readyz: it can reach its database, so a load balancer sends
 * it readers. Neither is cached.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: Pick<AppDeps, 'db'>): void {
  const schema = { tags: ['platform'] };
  route(app, { method: 'GET', url: '/healthz', access: 'public', schema }, (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );

  route(
    app,
    { method: 'GET', url: '/readyz', access: 'public', schema },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      try {
        await pingDatabase(deps.db);
        return await reply.send({ status: 'ready' });
      } catch (error) {
        request.log.warn({ ...requestLog(request), err: error }, 'not ready: database unreachable');
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ error: { code: 'SERVICE_UNAVAILABLE', message: 'database unreachable' } });
      }
    },
  );
}
