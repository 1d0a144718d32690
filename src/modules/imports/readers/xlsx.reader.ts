import ExcelJS from 'exceljs';
import type { ImportSource } from '../source.ts';
import { FileShapeError, type SourceRow, type TabularFile } from './rows.ts';

type CellValue = ExcelJS.CellValue;

/**
 * A cell as text. Formulas are never evaluated: the value the spreadsheet saved is used. Dates become
 * yyyy-mm-dd; rich text is joined.
 */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (value instanceof Date) {
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) {
      return cellText((value as { result?: CellValue }).result ?? null);
    }
    if ('richText' in value) {
      return value.richText.map((part) => part.text).join('');
    }
    if ('text' in value) {
      return value.text;
    }
    if ('error' in value) {
      return '';
    }
    return '';
  }
  return String(value).trim();
}

/** Streams the first worksheet of an XLSX file; the first non-empty row is the header. */
export async function readXlsx(source: ImportSource): Promise<TabularFile> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source.open(), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  const rows = streamRows(reader);
  const iterator = rows[Symbol.asyncIterator]();
  let first: IteratorResult<SourceRow>;
  try {
    first = await iterator.next();
  } catch {
    throw new FileShapeError(
      'This file could not be read as an XLSX workbook (is it damaged, or an older .xls file?).',
    );
  }
  if (first.done === true) {
    throw new FileShapeError('The first worksheet is empty: it has no header row.');
  }
  const headers = first.value.cells;
  return {
    headers,
    rows: (async function* () {
      for (;;) {
        let next: IteratorResult<SourceRow>;
        try {
          next = await iterator.next();
        } catch {
          throw new FileShapeError('The XLSX workbook is damaged part-way through.');
        }
        if (next.done === true) {
          return;
        }
        yield { row: next.value.row, cells: headers.map((_header, index) => next.value.cells[index] ?? '') };
      }
    })(),
  };
}

async function* streamRows(reader: ExcelJS.stream.xlsx.WorkbookReader): AsyncGenerator<SourceRow> {
  for await (const worksheet of reader) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      // row.values is sparse (an empty cell is a hole, which map() would keep as a hole): Array.from
      // visits every index, so an empty header or cell is '' rather than undefined.
      const cells = Array.from(values, (value) => cellText(value));
      if (cells.some((cell) => cell !== '')) {
        yield { row: row.number, cells };
      }
    }
    return; // the first worksheet only
  }
}
