import { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { decodedText, type ImportSource, type SourceFacts } from '../source.ts';
import { FileShapeError, type SourceRow, type TabularFile } from './rows.ts';

// One cell or line longer than this is not a school export: stop rather than buffer it.
const MAX_RECORD_BYTES = 1_000_000;

/**
 * Streams a CSV file (comma, or tab/semicolon when the header uses them) in its detected encoding.
 * Ragged rows are a FileShapeError naming the row; blank lines are skipped.
 */
export async function readCsv(source: ImportSource, facts: SourceFacts): Promise<TabularFile> {
  const first = await firstLine(source, facts);
  const delimiter = [',', '\t', ';'].reduce((best, candidate) =>
    first.split(candidate).length > first.split(best).length ? candidate : best,
  );
  const parser = Readable.from(decodedText(source, facts)).pipe(
    parse({
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      info: true,
    }),
  );
  const iterator: AsyncIterator<{ record: string[]; info: { lines: number } }> =
    parser[Symbol.asyncIterator]();
  const header = await next(iterator);
  if (header === undefined) {
    throw new FileShapeError('The file is empty: it has no header row.');
  }
  const headers = header.record.map((cell) => cell.trim());
  if (headers.every((cell) => cell === '')) {
    throw new FileShapeError('The first row is blank: it should name the columns.', 1);
  }
  return { headers, rows: dataRows(iterator, headers.length) };
}

async function next<T>(iterator: AsyncIterator<T>): Promise<T | undefined> {
  try {
    const result = await iterator.next();
    return result.done === true ? undefined : result.value;
  } catch (error) {
    throw shapeError(error);
  }
}

async function* dataRows(
  iterator: AsyncIterator<{ record: string[]; info: { lines: number } }>,
  width: number,
): AsyncGenerator<SourceRow> {
  for (;;) {
    const entry = await next(iterator);
    if (entry === undefined) {
      return;
    }
    const { record, info } = entry;
    if (record.every((cell) => cell.trim() === '')) {
      continue;
    }
    if (record.length > width && record.slice(width).some((cell) => cell.trim() !== '')) {
      throw new FileShapeError(
        `Row ${info.lines} has ${record.length} cells but the header names ${width} columns; check for an unquoted comma.`,
        info.lines,
      );
    }
    yield { row: info.lines, cells: record.slice(0, width).map((cell) => cell.trim()) };
  }
}

function shapeError(error: unknown): Error {
  if (error instanceof CsvError) {
    const line = typeof error.lines === 'number' ? error.lines : undefined;
    const where = line === undefined ? '' : ` at row ${line}`;
    if (error.code === 'CSV_MAX_RECORD_SIZE') {
      return new FileShapeError(`A row${where} is longer than 1 MB: this is not a CSV export.`, line);
    }
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new FileShapeError(`A quoted value${where} is never closed.`, line);
    }
    if (error.code === 'CSV_INVALID_CLOSING_QUOTE') {
      return new FileShapeError(
        `A quote mark${where} is in the middle of a value: put the whole value in double quotes and double any quote inside it.`,
        line,
      );
    }
    // The parser's own message can quote the data, so it is not passed on.
    return new FileShapeError(
      `The file could not be read as CSV${where}. Save it again from the spreadsheet as "CSV UTF-8" and retry (reader code ${error.code}).`,
      line,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

async function firstLine(source: ImportSource, facts: SourceFacts): Promise<string> {
  let text = '';
  for await (const chunk of decodedText(source, facts)) {
    text += chunk;
    const end = text.indexOf('\n');
    if (end >= 0 || text.length > MAX_RECORD_BYTES) {
      return text.slice(0, end >= 0 ? end : MAX_RECORD_BYTES);
    }
  }
  return text;
}
