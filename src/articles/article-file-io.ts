import { isUtf8 } from 'node:buffer';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ArticleFileError } from './article-file-error.js';

/**
 * Reading and writing article files on disk, with the care a command run over folders of other
 * people's files needs: no read that hangs (a FIFO), no file so large it is a mistake, no bytes
 * silently changed (bad UTF-8), and no write that lands outside the folder or over a file someone
 * kept (a symbolic link, an earlier export).
 */

/**
 * The largest article file read. The longest long-read runs to about 150 KB of Markdown; a file
 * past 1 MiB is a wrong file (a log, a dump, pasted images), and its body would be stored as one
 * JSON value and rendered whole on every page view. Below Node's string limit by far.
 */
export const MAX_ARTICLE_FILE_BYTES = 1024 * 1024;

/** The file's text, or an ArticleFileError naming it; never blocks on a FIFO or a device. */
export async function readArticleFile(file: string): Promise<string> {
  // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one, and
  // fstat on the opened handle then says what it is (no race between a stat and the open).
  const handle = await fs
    .open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)
    .catch((error: unknown) => {
      throw ArticleFileError.whole(file, `cannot be read (${errorCode(error)})`);
    });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw ArticleFileError.whole(
        file,
        'is not a regular file (a folder, a FIFO or a device): name Markdown files or folders',
      );
    }
    if (stat.size > MAX_ARTICLE_FILE_BYTES) throw tooLarge(file, stat.size);
    // One byte more than the cap, so a file that grew since the fstat is still caught.
    const buffer = Buffer.alloc(MAX_ARTICLE_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_ARTICLE_FILE_BYTES) throw tooLarge(file, length);
    }
    return decodeUtf8(buffer.subarray(0, length), file);
  } finally {
    await handle.close();
  }
}

function tooLarge(file: string, bytes: number): ArticleFileError {
  const mib = (bytes / 1024 / 1024).toFixed(1);
  return ArticleFileError.whole(
    file,
    `is ${mib} MiB; an article file may be at most ${MAX_ARTICLE_FILE_BYTES / 1024 / 1024} MiB`,
  );
}

/** UTF-8 or refused at the first bad line: a replacement character would change the text unseen. */
function decodeUtf8(bytes: Buffer, file: string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let start = 0;
  for (let line = 1; ; line += 1) {
    const end = bytes.indexOf(0x0a, start);
    const slice = bytes.subarray(start, end === -1 ? bytes.length : end);
    if (!isUtf8(slice) || end === -1) {
      throw new ArticleFileError(
        { file, line, field: 'file' },
        'is not valid UTF-8: save the file as UTF-8',
      );
    }
    start = end + 1;
  }
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : String(error);
}

/** Why an export refused, naming every file in the way; nothing was written. */
export class ExportError extends Error {
  override name = 'ExportError';
  constructor(readonly problems: readonly string[]) {
    super(`Nothing was exported:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/**
 * Writes each file's text under `folder`, all or nothing as far as the checks go: every target
 * is checked before the first write. A symbolic link on the way (the language folder or the file)
 * is refused even with `force`, since writing through it would write outside the folder; an
 * existing file is replaced only with `force`.
 */
export async function writeFilesInto(
  folder: string,
  files: readonly { relative: string; text: string }[],
  options: { force: boolean },
): Promise<string[]> {
  const root = path.resolve(folder);
  const problems: string[] = [];
  // The folder itself may be a link the person chose to name; only what lies inside is checked.
  const rootStat = await fs.stat(root).catch(() => undefined);
  if (rootStat && !rootStat.isDirectory()) throw new ExportError([`${root}: is not a folder`]);
  const checked = new Set<string>();
  for (const { relative } of files) {
    const target = path.resolve(root, relative);
    // Slugs hold no "/" or "..", but an export must not trust the database to have kept them so.
    if (path.relative(root, target).startsWith('..') || path.isAbsolute(relative)) {
      problems.push(`${target}: outside ${root}`);
      continue;
    }
    for (const dir of parentsWithin(root, target)) {
      if (checked.has(dir)) continue;
      checked.add(dir);
      const stat = await lstatOrUndefined(dir);
      if (stat?.isSymbolicLink()) problems.push(`${dir}: is a symbolic link; not written through`);
      else if (stat && !stat.isDirectory()) problems.push(`${dir}: exists and is not a folder`);
    }
    const stat = await lstatOrUndefined(target);
    if (stat?.isSymbolicLink()) problems.push(`${target}: is a symbolic link; not written through`);
    else if (stat && !stat.isFile()) problems.push(`${target}: exists and is not a regular file`);
    else if (stat && !options.force) {
      problems.push(`${target}: exists already (use --force to overwrite)`);
    }
  }
  if (problems.length > 0) throw new ExportError(problems);
  const written: string[] = [];
  for (const { relative, text } of files) {
    const target = path.resolve(root, relative);
    await fs.mkdir(path.dirname(target), { recursive: true });
    // Written beside the target and renamed over it: rename replaces a link that appeared since
    // the check instead of following it, and a failed write leaves the old file whole. 'wx'
    // refuses a temporary name that exists, whatever it is.
    const partial = `${target}.partial-${String(process.pid)}`;
    await fs.writeFile(partial, text, { flag: 'wx' });
    if (options.force) {
      await fs.rename(partial, target);
    } else {
      // link() fails if the target exists by now: no overwrite without --force, even in a race.
      try {
        await fs.link(partial, target);
      } finally {
        await fs.rm(partial, { force: true });
      }
    }
    written.push(target);
  }
  return written;
}

/** The folders from just below `root` down to the one holding `target`. */
function parentsWithin(root: string, target: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.dirname(target); dir !== root && dir.startsWith(root);) {
    dirs.unshift(dir);
    dir = path.dirname(dir);
  }
  return dirs;
}

async function lstatOrUndefined(file: string) {
  try {
    return await fs.lstat(file);
  } catch (error) {
    // ENOTDIR: a parent is a file, which the check of that parent reports.
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}
