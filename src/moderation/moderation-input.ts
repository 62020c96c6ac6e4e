import type { FastifyRequest } from 'fastify';
import { ROW_ID } from '../comments/comment.js';
import type { Viewer } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { field } from '../http/form.js';
import { QUEUES, type Queue } from './moderation.js';
import { parseQueueFilters } from './moderation-desk-filters.js';
import type { QueueFilters } from './moderation.queries.js';

/**
 * The desk's input, parsed at the edge: ids, revisions, clauses, choices from a list, the queue,
 * filters and page. What no honest form sends (a malformed id or revision, a choice the form does
 * not offer) is refused here as a bad request; what a person typed is the service's to judge.
 */

export const REV = /^\d{1,9}$/;
const CLAUSE = /^[1-9]\d{0,8}$/;

export function rowId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !ROW_ID.test(value)) throw new AppError('NOT_FOUND', what);
  return value;
}

export function param(request: FastifyRequest, name: string): string {
  return rowId((request.params as Record<string, unknown>)[name], name);
}

/** Every value of a repeated form field (checkboxes); a single one arrives as a string. */
export function values(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object' || !(name in body)) return [];
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new AppError('BAD_REQUEST', name);
}

export function clausesOf(body: unknown): number[] {
  return values(body, 'clause').map((v) => {
    if (!CLAUSE.test(v)) throw new AppError('BAD_REQUEST', 'clause');
    return Number(v);
  });
}

export function revOf(body: unknown): number {
  const rev = field(body, 'rev');
  if (!REV.test(rev)) throw new AppError('BAD_REQUEST', 'rev');
  return Number(rev);
}

export function oneOf<T extends string>(list: readonly T[], value: string, what: string): T {
  if (!(list as readonly string[]).includes(value)) throw new AppError('BAD_REQUEST', what);
  return value as T;
}

export function queueOf(request: FastifyRequest): Queue {
  const queue = (request.params as Record<string, unknown>).queue;
  if (typeof queue !== 'string' || !(QUEUES as readonly string[]).includes(queue))
    throw new AppError('NOT_FOUND', 'queue');
  return queue as Queue;
}

/** The filters of a request that cannot show them back (a button's post): a bad one is refused. */
export function filtersOf(source: unknown): QueueFilters {
  const { filters, problem } = parseQueueFilters(source);
  if (problem) throw new AppError('INVALID_PARAMETER', problem);
  return filters;
}

export function pageOf(query: unknown): number {
  const page = field(query, 'page');
  if (page === '') return 1;
  if (!/^[1-9]\d{0,2}$/.test(page)) throw new AppError('INVALID_PARAMETER', 'page');
  return Number(page);
}

export function viewerId(request: FastifyRequest): string {
  return (request.viewer as Viewer).accountId;
}
