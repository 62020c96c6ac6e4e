import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import {
  addStaffAccount,
  findStaffAccount,
  issueSetupLink,
  SETUP_LINK_TTL_SECONDS,
  type StaffRoleName,
} from './staff.service.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/db-schema.js';

/**
 * `byline user add` and `byline user setup-link`, as one use case the command line runs in two
 * ways: on the database itself, or, while `serve` holds the embedded database, inside the server
 * through its control socket (src/control-socket.ts). Both print the same words.
 */

export const STAFF_ROLE_NAMES = [
  'moderator',
  'reporter',
  'editor',
  'admin',
] as const satisfies readonly StaffRoleName[];

/** What crosses the control socket: parsed strictly, since it arrives from another process. */
export const staffCommandSchema = z.discriminatedUnion('command', [
  z
    .object({
      command: z.literal('user add'),
      email: z.string().min(1).max(320),
      role: z.enum(STAFF_ROLE_NAMES),
      name: z.string().min(1).max(100).optional(),
    })
    .strict(),
  z.object({ command: z.literal('user setup-link'), email: z.string().min(1).max(320) }).strict(),
]);

export type StaffCommand = z.infer<typeof staffCommandSchema>;

/** What the command line prints, and its exit code. */
export type CommandOutput = { exitCode: number; stdout: string; stderr: string };

type Deps = { db: Kysely<Database>; clock: () => Date };

export async function runStaffCommand(
  deps: Deps,
  command: StaffCommand,
  publicUrl: string,
): Promise<CommandOutput> {
  let accountId: string;
  let stdout = '';
  try {
    if (command.command === 'user add') {
      ({ accountId } = await addStaffAccount(deps, {
        email: command.email,
        role: command.role,
        displayName: command.name,
      }));
      stdout += `Created ${command.role} ${command.email}.\n`;
    } else {
      const found = await findStaffAccount(deps, command.email);
      if (!found) {
        return {
          exitCode: 1,
          stdout,
          stderr: `byline user setup-link: no staff account for ${command.email}\n`,
        };
      }
      accountId = found.id;
    }
  } catch (error) {
    // A taken address or a malformed one: the person can act on it, so it is no stack trace.
    if (!(error instanceof AppError)) throw error;
    return { exitCode: 1, stdout, stderr: `byline: ${error.code}: ${error.message}\n` };
  }
  const link = await issueSetupLink(deps, accountId, publicUrl);
  const hours = SETUP_LINK_TTL_SECONDS / 3_600;
  stdout +=
    `One-time set-up link (valid ${hours} hours; choose a password and add the authenticator):\n` +
    `  ${link}\n`;
  return { exitCode: 0, stdout, stderr: '' };
}
