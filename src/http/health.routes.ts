import type { FastifyInstance } from 'fastify';
import { pingDatabase } from '../db/db.js';
import type { AppDeps } from '../deps.js';
import { requestLog } from './request-log.js';
import { PUBLIC } from './access.js';

/**
 * /healthz: the process answers. /readyz: it can reach its database, so a load balancer sends
 * it readers. Neither is cached.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: Pick<AppDeps, 'db'>): void {
  app.get('/healthz', PUBLIC, (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );

  app.get('/readyz', PUBLIC, async (request, reply) => {
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
  });
}
