import { z } from 'zod';

/**
 * The pieces every route's schemas are built from (src/http/route.ts). Two kinds of input, two
 * rules:
 * - what no honest client sends (a malformed id, a choice the form does not offer) is refused by
 *   the schema, before the handler: in the address 404, in the query or the body 400;
 * - what a person typed is the handler's and the use case's to judge, with the message its form
 *   needs, so the schema takes any text (`formText`) and never refuses it.
 */

/**
 * A database row id as it may appear in an address or a form: a positive bigint, no sign, no zeros in
 * front, at most 18 digits. Nineteen could pass bigint's largest value (9223372036854775807),
 * which PostgreSQL answers with an error rather than no row; no id will come near 10^18.
 */
export const ROW_ID = /^[1-9]\d{0,17}$/;

export const rowId = z.string().regex(ROW_ID);

/**
 * A form field a person fills in: its text, or '' when it is absent, repeated or not text at all.
 * Judging it (empty, too long, not allowed) is the use case's, which answers with the form again.
 */
export const formText = z.string().default('').catch('');

/** A checkbox: ticked when the form sends it, whatever its value. */
export const checkbox = z
  .unknown()
  // Optional by name: zod 4 counts a key absent only where the schema says it may be.
  .optional()
  .transform((value) => value !== undefined)
  .meta({ type: 'string', description: 'present when ticked' });

/**
 * A repeated field (checkboxes of one name): one value arrives as text, several as a list. The
 * list is tried first: an item that catches (formText) would otherwise take a whole list as one
 * bad value and answer [''], losing every byline of a story form.
 */
export const repeated = <T extends z.ZodType<string>>(item: T) =>
  z
    .union([z.array(item), item])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

/** A page number in a query: 1 to 999, 1 when absent. */
export const pageNumber = z
  .string()
  .regex(/^[1-9]\d{0,2}$/)
  .transform(Number)
  .optional()
  .transform((page) => page ?? 1);

/** No parameters, query or body to read: anything sent is ignored. */
export const nothing = z.object({});
