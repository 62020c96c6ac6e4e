import fsp from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';

/**
 * The backup archive: gzip'd JSON lines, read and written as a stream so a table of millions of
 * rows never sits in memory.
 *
 *   {"format":"byline-backup","version":1, …, "tables":[{name, columns, primaryKey, rows, hash}]}
 *   {"table":"sections","rows":3}          one marker per table, in foreign-key order
 *   {"id":1,"slug":"national",…}           then exactly `rows` lines, each PostgreSQL's
 *   …                                      row_to_json text of one row, in primary-key order
 *   {"end":"byline-backup","tables":27,"rows":1234}
 *
 * Row lines are never parsed into JS values on restore: their text goes back to PostgreSQL as it
 * came, so an int8 or a float8 loses nothing on the way. The header's counts, the markers and the
 * end line let a reader tell a truncated or spliced file from a whole one before writing anything;
 * gzip's CRC catches flipped bytes.
 */

export const ARCHIVE_FORMAT = 'byline-backup';
export const ARCHIVE_VERSION = 1;

export type BackupErrorCode =
  | 'ARCHIVE_UNREADABLE'
  | 'ARCHIVE_CORRUPT'
  | 'ARCHIVE_NEWER'
  | 'ARCHIVE_INCOMPATIBLE'
  | 'RESTORE_NOT_EMPTY'
  | 'RESTORE_HASH_MISMATCH'
  | 'SCHEMA_UNSUPPORTED';

/** A backup or restore refused for a reason the person running it can act on (exit code 2). */
export class BackupError extends Error {
  override name = 'BackupError';
  constructor(
    readonly code: BackupErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const tableEntry = z.object({
  name: z.string().min(1),
  columns: z.array(z.string().min(1)).min(1),
  primaryKey: z.array(z.string().min(1)).min(1),
  rows: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

const headerSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.number().int().min(1),
  createdAt: z.string(),
  /** The backend it was taken from, for the record: the archive itself is the same for both. */
  source: z.enum(['pglite', 'postgres']),
  serverVersion: z.string(),
  /** Byline's migrations applied to the database backed up, in order. */
  migrations: z.array(z.string()),
  /** How `hash` is computed, so a future reader can check an old archive. */
  rowHash: z.string(),
  tables: z.array(tableEntry),
  /**
   * Where each serial column's sequence stood, as text (int8). Restore never sets one lower than
   * this, so an id used before the backup (and deleted since) is not handed out again: the
   * moderation log names comments by id, with no foreign key.
   */
  sequences: z.array(
    z.object({
      table: z.string(),
      column: z.string(),
      lastValue: z.string().regex(/^-?\d+$/),
      isCalled: z.boolean(),
    }),
  ),
});

export type ArchiveHeader = z.infer<typeof headerSchema>;
export type ArchiveTable = z.infer<typeof tableEntry>;

const markerSchema = z.object({ table: z.string(), rows: z.number().int().min(0) });
const endSchema = z.object({
  end: z.literal(ARCHIVE_FORMAT),
  tables: z.number().int(),
  rows: z.number().int(),
});

export function headerLine(header: ArchiveHeader): string {
  return JSON.stringify(header);
}

export function markerLine(table: ArchiveTable): string {
  return JSON.stringify({ table: table.name, rows: table.rows });
}

export function endLine(header: ArchiveHeader): string {
  return JSON.stringify({
    end: ARCHIVE_FORMAT,
    tables: header.tables.length,
    rows: rowsOf(header),
  });
}

export function rowsOf(header: ArchiveHeader): number {
  return header.tables.reduce((sum, t) => sum + t.rows, 0);
}

/**
 * The archive as a sequence of lines, checked as they come: the header first, then each table's
 * rows (text, unparsed), then nothing after the end line. Any departure throws ARCHIVE_CORRUPT
 * naming the line, so the caller, inside its transaction, writes nothing.
 */
export class ArchiveReader {
  private readonly lines: AsyncIterator<string>;
  private lineNumber = 0;

  private constructor(
    private readonly file: string,
    lines: AsyncIterator<string>,
  ) {
    this.lines = lines;
  }

  static open(file: string): ArchiveReader {
    return new ArchiveReader(file, readLines(file)[Symbol.asyncIterator]());
  }

  async header(): Promise<ArchiveHeader> {
    const line = await this.next('the header');
    const parsed = headerSchema.safeParse(parseJson(line));
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw this.corrupt(
        `not a Byline backup header (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'})`,
      );
    }
    if (parsed.data.version > ARCHIVE_VERSION)
      throw new BackupError(
        'ARCHIVE_NEWER',
        `${this.file} is a version ${String(parsed.data.version)} archive; this Byline reads version ${String(ARCHIVE_VERSION)}. Restore it with a newer Byline.`,
      );
    return parsed.data;
  }

  /** The rows of the next table, which must be `table`, as row_to_json text. */
  async *rows(table: ArchiveTable): AsyncGenerator<string> {
    const marker = markerSchema.safeParse(parseJson(await this.next(`table ${table.name}`)));
    if (!marker.success || marker.data.table !== table.name || marker.data.rows !== table.rows)
      throw this.corrupt(`expected the start of table ${table.name}`);
    for (let i = 0; i < table.rows; i += 1) {
      const line = await this.next(`row ${String(i + 1)} of ${table.name}`);
      if (!line.startsWith('{') || !line.endsWith('}'))
        throw this.corrupt(`row ${String(i + 1)} of ${table.name} is not a JSON object`);
      yield line;
    }
  }

  async end(header: ArchiveHeader): Promise<void> {
    const parsed = endSchema.safeParse(parseJson(await this.next('the end line')));
    if (
      !parsed.success ||
      parsed.data.tables !== header.tables.length ||
      parsed.data.rows !== rowsOf(header)
    )
      throw this.corrupt('expected the end line');
    const extra = await this.lines.next().catch((error: unknown) => {
      throw this.wrap(error);
    });
    if (!extra.done) throw this.corrupt('lines after the end line');
  }

  async close(): Promise<void> {
    await this.lines.return?.();
  }

  private async next(what: string): Promise<string> {
    let result: IteratorResult<string>;
    try {
      result = await this.lines.next();
    } catch (error) {
      throw this.wrap(error);
    }
    if (result.done) throw this.corrupt(`the file ends before ${what}: truncated`);
    this.lineNumber += 1;
    return result.value;
  }

  private corrupt(problem: string): BackupError {
    return new BackupError(
      'ARCHIVE_CORRUPT',
      `${this.file}: line ${String(this.lineNumber)}: ${problem}. Nothing was restored.`,
    );
  }

  private wrap(error: unknown): BackupError {
    if (error instanceof BackupError) return error;
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT' || errno === 'EACCES' || errno === 'EISDIR')
      return new BackupError('ARCHIVE_UNREADABLE', `cannot read ${this.file}: ${errno}`, {
        cause: error,
      });
    // zlib's errors: not gzip at all, a flipped byte (CRC), or a file cut short.
    const reason = error instanceof Error ? error.message : String(error);
    return new BackupError(
      'ARCHIVE_CORRUPT',
      `${this.file}: not a readable gzip archive (${reason}). Nothing was restored.`,
      { cause: error },
    );
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    // Not JSON: the schema check that follows reports it with the line number.
    return undefined;
  }
}

/** Lines split on \n only: a row's text never holds one (backup refuses rows that would). */
async function* readLines(file: string): AsyncGenerator<string> {
  // Opened first, so a missing or unreadable file fails here, as an error of the iteration.
  const input = (await fsp.open(file)).createReadStream();
  const source = createGunzip();
  // pipe() does not pass the file's read errors on; the gunzip stream must end with them.
  input.on('error', (error) => source.destroy(error));
  input.pipe(source);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const chunk of source) {
      pending += decoder.write(chunk as Buffer);
      let start = 0;
      for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n', start)) {
        yield pending.slice(start, at);
        start = at + 1;
      }
      pending = pending.slice(start);
    }
  } finally {
    input.destroy();
    source.destroy();
  }
  pending += decoder.end();
  if (pending !== '') yield pending;
}

/** Reads the whole archive once, checking its shape and counts, without touching a database. */
export async function checkArchive(file: string): Promise<ArchiveHeader> {
  const reader = ArchiveReader.open(file);
  try {
    const header = await reader.header();
    for (const table of header.tables) {
      const rows = reader.rows(table);
      while (!(await rows.next()).done);
    }
    await reader.end(header);
    return header;
  } finally {
    await reader.close();
  }
}
