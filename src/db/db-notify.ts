import { sql, type Kysely, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import { EVERYTHING, MAX_NAMED_ARTICLES, type ContentChange } from '../lib/content-change.js';
import type { Database } from './db-schema.js';

/**
 * Every change that a reader page shows is announced on this channel, inside the writing
 * transaction, so every app process (and the PGlite owner) hears of it once it commits, and
 * drops the pages that show it.
 */
export const CONTENT_CHANNEL = 'byline_content';

/**
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. A change is sent as `everything`
 * well before that, whatever its ids look like (MAX_NAMED_ARTICLES keeps real ones far below).
 */
const MAX_PAYLOAD_BYTES = 4000;

/** The payload's shape: the change itself as JSON, so that a reader needs no other table. */
const payloadSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('articles'),
    ids: z.array(z.string().regex(/^\d{1,19}$/)).max(MAX_NAMED_ARTICLES),
  }),
  z.object({ kind: z.literal('everything') }),
]);

export function encodeContentChange(change: ContentChange): string {
  const payload = JSON.stringify(change);
  return Buffer.byteLength(payload, 'utf8') < MAX_PAYLOAD_BYTES
    ? payload
    : JSON.stringify(EVERYTHING);
}

/**
 * The change a payload names. One that does not parse (sent by an older process, which sent a
 * free word, or by anything else on the channel) may have been about anything, so it is
 * `everything`, logged: a page kept past its change would be served stale until the next one.
 */
export function decodeContentChange(payload: string, log: Logger): ContentChange {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    json = undefined;
  }
  const parsed = payloadSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  log.warn(
    { channel: CONTENT_CHANNEL, payload: payload.slice(0, 200) },
    'a content change that does not parse: treated as a change of everything',
  );
  return EVERYTHING;
}

export async function notifyContentChanged(
  db: Kysely<Database> | Transaction<Database>,
  change: ContentChange,
): Promise<void> {
  await sql`select pg_notify(${CONTENT_CHANNEL}, ${encodeContentChange(change)})`.execute(db);
}
