/**
 * The route option of a page anyone may see. Every route declares its access (accounts/access.ts);
 * this constant is the common case, kept here so the reading features need not import accounts.
 */
export const PUBLIC = { config: { access: 'public' } } as const;
