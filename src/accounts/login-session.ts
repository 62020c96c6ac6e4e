import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { requestLog } from '../http/request-log.js';
import { cookieNames, cookieOptions } from '../http/access.js';
import {
  SESSION_LIFETIMES,
  createSession,
  endSessionByToken,
  type SessionKind,
} from './sessions.js';

/**
 * The one way a login ends, for readers and staff alike: the browser's previous session is
 * deleted (no fixation, docs/SECURITY.md, item 2), a new one is made, its cookie set (Strict for
 * staff), and the login logged without its token.
 */
export async function startSession(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  input: { accountId: string; kind: SessionKind; method: string },
): Promise<void> {
  const names = cookieNames(deps.config);
  const previous = request.cookies[names.session];
  if (previous) await endSessionByToken(deps, previous);
  const { token } = await createSession(deps, {
    ...input,
    userAgent: request.headers['user-agent'] ?? '',
    ip: request.ip,
  });
  reply.setCookie(
    names.session,
    token,
    cookieOptions(
      deps.config,
      input.kind === 'staff' ? 'strict' : 'lax',
      SESSION_LIFETIMES[input.kind].absoluteSeconds,
    ),
  );
  request.log.info(
    { ...requestLog(request), accountId: input.accountId, method: input.method },
    'logged in',
  );
}
