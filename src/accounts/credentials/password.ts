import fs from 'node:fs';
import path from 'node:path';
import { hash, parseOptions, verify } from '@node-rs/argon2';
import type { Algorithm, Options, ParsedHashOptions, Version } from '@node-rs/argon2';
import { projectRoot } from '../../lib/project-root.js';

// Staff passwords: the policy a new password must meet (ASVS 5.0 6.2; docs/SECURITY.md, item 8) and
// how it is stored (11.4.2, item 9).
//
// Every function here works on the NFC form of the password. The same Hangul can arrive as
// different code point sequences: precomposed syllables (한, U+D55C) from most input methods,
// conjoining jamo (U+1112 U+1161 U+11AB) from others, from text copied out of a decomposed source
// such as a macOS file name, or from a password manager that kept what it was first given.
// Unnormalised, the same 한국 typed on two devices would be two different passwords. NFC is
// canonical equivalence only: it never merges characters that look different, so it costs no
// entropy (NFKC would fold ① into 1, and is not used).

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_identity';

/** Who the password belongs to: it must not be their e-mail, its local part or their name. */
export interface PasswordContext {
  email?: string | undefined;
  name?: string | undefined;
}

// Lengths count Unicode code points of the NFC form, so 64 Hangul syllables or 64 emoji are 64,
// not the 128 UTF-16 units of the emoji. ASVS 6.2.1 sets 8 as the floor and strongly recommends
// 15: 8 is enforced, and the set-password form should ask for 15 or more. 6.2.9 asks that at
// least 64 be allowed; 256 leaves room for passphrases while bounding what one request can send.
export const PASSWORD_MIN_CODE_POINTS = 8;
export const PASSWORD_RECOMMENDED_CODE_POINTS = 15;
export const PASSWORD_MAX_CODE_POINTS = 256;

/**
 * Why a new password is refused, or null when it is acceptable. There are deliberately no
 * composition rules (6.2.5): length and the blocklist do the work. The password is never
 * trimmed, truncated or case-folded; only the comparisons below ignore case.
 */
export function passwordProblem(
  password: string,
  context: PasswordContext = {},
): PasswordProblem | null {
  const normalised = password.normalize('NFC');
  // Array.from walks a string by code point. Grapheme clusters would count a family emoji built
  // from 5 code points as 1, but the limits are about what is stored and hashed.
  const codePoints = Array.from(normalised).length;
  if (codePoints < PASSWORD_MIN_CODE_POINTS) return 'too_short';
  if (codePoints > PASSWORD_MAX_CODE_POINTS) return 'too_long';
  const folded = foldCase(normalised);
  if (identityWords(context).includes(folded)) return 'contains_identity';
  if (commonPasswords().has(folded)) return 'common';
  return null;
}

function foldCase(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

function identityWords(context: PasswordContext): string[] {
  const words: string[] = [];
  if (context.email !== undefined) {
    const email = foldCase(context.email.trim());
    words.push(email);
    const at = email.lastIndexOf('@');
    if (at > 0) words.push(email.slice(0, at));
  }
  if (context.name !== undefined) words.push(foldCase(context.name.trim()));
  return words.filter((word) => word !== '');
}

// The list ships beside this file (see common-passwords.LICENSE.md). The build emits only .js
// into dist/, so the path is taken from the project root, which is the same folder under tsx and
// when built; a path relative to this module would miss the file in dist/src/.
const COMMON_PASSWORDS_FILE = ['src', 'accounts', 'credentials', 'common-passwords.txt'] as const;
// ASVS 6.2.4 asks for at least the top 3,000; a shorter file means a broken checkout or build.
const COMMON_PASSWORDS_REQUIRED = 3_000;

// Read on first use and never changed afterwards: a cache of a file that ships with the code,
// not state. Reading it at import would make every importer (the CLI, the tests) pay for it.
let commonPasswordSet: ReadonlySet<string> | undefined;

function commonPasswords(): ReadonlySet<string> {
  commonPasswordSet ??= readCommonPasswords();
  return commonPasswordSet;
}

function readCommonPasswords(): ReadonlySet<string> {
  const file = path.join(projectRoot(), ...COMMON_PASSWORDS_FILE);
  // A missing or truncated file throws rather than letting every password through.
  const entries = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map(foldCase);
  const set = new Set(entries);
  if (set.size < COMMON_PASSWORDS_REQUIRED) {
    throw new Error(
      `${file} holds ${set.size} passwords; ASVS 6.2.4 needs at least ${COMMON_PASSWORDS_REQUIRED}`,
    );
  }
  return set;
}

// argon2id with RFC 9106's second recommended configuration (64 MiB, 3 passes; one lane, since
// libuv's pool already runs verifications side by side). OWASP's minimum (19 MiB, 2 passes) took
// 12–16 ms here, below the 50–500 ms of docs/SECURITY.md, item 9; this takes about 60–115 ms.
// Raising any of these makes needsRehash true for every stored hash, and each is upgraded at its
// owner's next successful sign-in. Each concurrent verification holds ARGON2_MEMORY_KIB on a libuv
// worker thread (4 by default), which bounds the memory logins use (256 MiB at most).
export const ARGON2_MEMORY_KIB = 65_536;
export const ARGON2_PASSES = 3;
export const ARGON2_PARALLELISM = 1;
export const ARGON2_HASH_BYTES = 32;
// @node-rs/argon2 draws a 16-byte salt itself; older or foreign hashes with less are upgraded.
const ARGON2_SALT_BYTES = 16;

// The package declares Algorithm and Version as ambient const enums, which verbatimModuleSyntax
// forbids reading (TS2748), so their values are written out. The annotations make the compiler
// check that 2 and 1 are still the members meant (it refuses any other number), which is the
// check no-unsafe-enum-assignment exists for; the hash-format test checks '$argon2id$v=19$'.
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- checked by the type
const ARGON2ID: Algorithm.Argon2id = 2;
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- checked by the type
const ARGON2_VERSION_19: Version.V0x13 = 1;

const HASH_OPTIONS: Readonly<Options> = Object.freeze({
  algorithm: ARGON2ID,
  version: ARGON2_VERSION_19,
  memoryCost: ARGON2_MEMORY_KIB,
  timeCost: ARGON2_PASSES,
  parallelism: ARGON2_PARALLELISM,
  outputLen: ARGON2_HASH_BYTES,
});

// The most a stored hash may ask of a verification. argon2 takes its cost from the hash itself,
// and a row holding m=4294967295 makes the native code allocate until the kernel kills the whole
// server (seen while writing this). Raise these with the parameters above if those ever pass them.
const ARGON2_MAX_MEMORY_KIB = 262_144;
const ARGON2_MAX_PASSES = 16;
const ARGON2_MAX_PARALLELISM = 8;
const ARGON2_MIN_HASH_BYTES = 16;

/** A PHC string, `$argon2id$v=19$m=<KiB>,t=<passes>,p=1$<salt>$<hash>`, with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), HASH_OPTIONS);
}

/**
 * Whether `password` is the one `storedHash` was made from. False, never an exception, for a
 * hash that is malformed, not argon2id v19, or asks for more work than Byline would ever have
 * used: no password can be right for it, and the login use case answers and logs it as a failed
 * sign-in either way.
 */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  const options = parsedHash(storedHash);
  if (options === undefined || !isVerifiable(options)) return false;
  try {
    return await verify(storedHash, password.normalize('NFC'));
  } catch {
    // parseOptions accepted it, so only the native layer's own limits can land here; they say
    // the same as a malformed hash.
    return false;
  }
}

function parsedHash(storedHash: string): ParsedHashOptions | undefined {
  try {
    return parseOptions(storedHash);
  } catch {
    // The only failure parseOptions has is "this is not an argon2 PHC string we can read".
    return undefined;
  }
}

function isVerifiable(options: ParsedHashOptions): boolean {
  return (
    options.algorithm === ARGON2ID &&
    options.version === ARGON2_VERSION_19 &&
    options.memoryCost <= ARGON2_MAX_MEMORY_KIB &&
    options.timeCost <= ARGON2_MAX_PASSES &&
    options.parallelism <= ARGON2_MAX_PARALLELISM &&
    options.outputLen >= ARGON2_MIN_HASH_BYTES
  );
}

/**
 * Whether a hash that has just verified should be replaced by `hashPassword` of the same
 * password, because it was made with other parameters than today's. True for a malformed hash,
 * which never verifies anyway.
 */
export function needsRehash(storedHash: string): boolean {
  const options = parsedHash(storedHash);
  if (options === undefined) return true;
  return (
    options.algorithm !== ARGON2ID ||
    options.version !== ARGON2_VERSION_19 ||
    options.memoryCost !== ARGON2_MEMORY_KIB ||
    options.timeCost !== ARGON2_PASSES ||
    options.parallelism !== ARGON2_PARALLELISM ||
    options.outputLen !== ARGON2_HASH_BYTES ||
    options.saltLen < ARGON2_SALT_BYTES
  );
}

// A well-formed hash with today's parameters whose salt and tag are random bytes with no known
// password: verifying against it costs exactly what a real verification costs. It is built from
// the constants, so it cannot fall behind them.
const DUMMY_HASH =
  `$argon2id$v=19$m=${ARGON2_MEMORY_KIB},t=${ARGON2_PASSES},p=${ARGON2_PARALLELISM}` +
  '$S43JsNbO/unsYTlpe7RP+w$kNlR7Q8oMr3kbulF+3emczkXFpQPzKobHZ+ehp6vyRY';

/**
 * Spends the time of one verifyPassword and fails. Call it when the e-mail matches no staff
 * account (or one without a password), so that the answer takes as long as for a wrong password
 * and response times do not reveal which addresses have accounts.
 */
export async function dummyVerify(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password);
  return false;
}
