/** A data row of a tabular file: its 1-based line in the file (header = 1) and its cells by header. */
export interface SourceRow {
  row: number;
  cells: string[];
}

/** A tabular file as a header and a stream of rows; problems in the file's shape are reported by row. */
export interface TabularFile {
  headers: string[];
  rows: AsyncIterable<SourceRow>;
}

/** A problem with the file itself (not a value in it): the import stops with this message. */
export class FileShapeError extends Error {
  override name = 'FileShapeError';
  readonly row: number | undefined;

  constructor(message: string, row?: number) {
    super(message);
    this.row = row;
  }
}
