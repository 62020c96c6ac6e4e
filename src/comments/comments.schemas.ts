import { z } from 'zod';
import { formText, rowId } from '../http/schemas.js';
import { COMMENT_SORTS, decodeCursor, type DeleteOrigin } from './comment.js';

/**
 * What the comment routes read from a request, as zod schemas (src/http/route.ts). A malformed
 * id in the address is refused by the schema (404), as is a sort, cursor or vote no page links
 * (400). What a reader types (a comment, a report's note) or picks from a form the use case
 * judges (a clause) is taken as any text, so the form can come back with it and the reason.
 */

export const articleAddress = z.object({ articleId: rowId });

export const commentAddress = z.object({ commentId: rowId });

/** Absent, or repeated (which reads as absent, as it did before schemas), is the newest first. */
const sort = formText
  .pipe(z.enum(['', ...COMMENT_SORTS]))
  .transform((value) => (value === '' ? 'newest' : value));

/** A thread page: its sort, and where it starts (a cursor of that sort, from the page before). */
export const threadQuery = z.object({ sort, after: formText }).transform((query, ctx) => {
  if (query.after === '') return { sort: query.sort, after: undefined };
  const after = decodeCursor(query.after, query.sort);
  if (after) return { sort: query.sort, after };
  ctx.issues.push({ code: 'custom', message: 'not a cursor of this sort', input: query.after });
  return z.NEVER;
});

/** Only the digits of a version the form offered accept the policy; anything else accepts none. */
const policyVersion = formText.transform((value) =>
  /^\d{1,6}$/.test(value) ? Number(value) : undefined,
);

export const commentForm = z.object({
  body: formText,
  /** A reply's parent; its shape is checked by the handler, which answers as it always has. */
  parentId: formText,
  acceptPolicy: policyVersion,
});

export const voteForm = z.object({ value: z.enum(['up', 'down']) });

export const editForm = z.object({ body: formText });

/**
 * Where a delete started: "My comments" says so (`from=account`, in the link and then the form);
 * anything else is the thread. Only this one value is read, so no address can be injected.
 */
const deleteOrigin = formText.transform((value): DeleteOrigin =>
  value === 'account' ? 'account' : 'thread',
);

export const deleteQuery = z.object({ from: deleteOrigin });

export const deleteForm = z.object({ from: deleteOrigin });

/** A clause is picked from the form's list; one that is not a number is the use case's refusal. */
export const reportForm = z.object({
  clause: formText.transform((value) => (/^\d{1,6}$/.test(value) ? Number(value) : undefined)),
  note: formText,
});

/** "My comments" from an older page: `<ISO time>_<id>` of the last comment shown before. */
export const myCommentsQuery = z.object({ before: formText }).transform((query, ctx) => {
  if (query.before === '') return { before: undefined };
  const [time, id] = query.before.split('_');
  if (time && id && rowId.safeParse(id).success && !Number.isNaN(Date.parse(time)))
    return { before: { createdAt: new Date(time), id } };
  ctx.issues.push({ code: 'custom', message: 'not a page of "My comments"', input: query.before });
  return z.NEVER;
});

/** The editors' settings page looks up the article at an address, typed; its length is judged. */
export const settingsQuery = z.object({
  article: formText.transform((value) => value.trim()),
});

export const settingsAddress = z.object({ id: rowId });

/**
 * A thread setting's three fields; an empty one inherits. A state or flag no select offers is a
 * forged form (400); the hours are typed, so they are judged by the handler, which shows the row
 * again with the reason (422).
 */
export const settingsForm = z.object({
  state: formText.pipe(z.enum(['', 'open', 'closed'])),
  closeAfterHours: formText.transform((value) => value.trim()),
  premoderated: formText.pipe(z.enum(['', 'on', 'off'])),
});
