/**
 * A problem in an article file, named by file, line (1-based, in the whole file) and field. It has a
 * module of its own so that the front-matter reader and the body reader can both throw it without
 * importing each other.
 */
export class ArticleFileError extends Error {
  override name = 'ArticleFileError';
  readonly file: string;
  /** 0 when the problem is the whole file (not a regular file, too large): no line to name. */
  readonly line: number;
  /**
   * A front-matter key such as `published` or `authors[1].email`, or `body`, or `front matter`, or
   * `file` for the whole file.
   */
  readonly field: string;

  constructor(where: { file: string; line: number; field: string }, problem: string) {
    super(
      where.line === 0
        ? `${where.file}: ${problem}`
        : `${where.file}:${where.line}: ${where.field}: ${problem}`,
    );
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }

  /** A problem with the file as a whole, before any line of it is read. */
  static whole(file: string, problem: string): ArticleFileError {
    return new ArticleFileError({ file, line: 0, field: 'file' }, problem);
  }
}
