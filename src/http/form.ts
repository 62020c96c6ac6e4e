/**
 * A form field as the one string a handler expects: absent, repeated (an array) or anything but a
 * string reads as ''. Forms are read field by field, so a field the form does not have (`role`,
 * `status`) is never read at all (docs/SECURITY.md, item 17).
 */
export function field(body: unknown, name: string): string {
  if (body && typeof body === 'object' && name in body) {
    const value = (body as Record<string, unknown>)[name];
    if (typeof value === 'string') return value;
  }
  return '';
}
