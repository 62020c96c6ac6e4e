import type { FastifyInstance } from 'fastify';
import { AppError } from './app-error.js';

/**
 * PostgreSQL text cannot hold U+0000: a NUL that reached a query would fail there, as a 500. No
 * address of ours has one, so a NUL in the path or the query is refused before any handler runs
 * (400). Bodies are the handlers' to check, each with the message its form needs.
 */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === 'object') return Object.values(value).some(hasNul);
  return false;
}

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    if (hasNul(request.params) || hasNul(request.query))
      done(new AppError('INVALID_PARAMETER', 'NUL in the address'));
    else done();
  });
}
