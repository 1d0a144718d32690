import type { ResultRecord } from '../curriculum/result-record.ts';
import type { PupilRecord } from '../pupils/pupil-record.ts';
import { guessTemplate, mapColumns, type Template } from './columns.ts';
import { readPupilRow, type FieldCells, type RowOptions } from './pupil-rows.ts';
import { readCsv } from './readers/csv.reader.ts';
import { FileShapeError, type SourceRow, type TabularFile } from './readers/rows.ts';
import { readXlsx } from './readers/xlsx.reader.ts';
import { readMarksheetRow, readResultRow } from './result-rows.ts';
import type { ImportIssue } from './report.ts';
import type { ImportSource, SourceFacts } from './source.ts';
import { DEFAULT_KS2_MAPPING, readCtfPupil, type Ks2Mapping } from './ctf-pupils.ts';
import { readCtf } from './readers/ctf.reader.ts';
import { parseOneRoster } from './oneroster.ts';

async function parseCtf(
  source: ImportSource,
  facts: SourceFacts,
  options: ParseOptions,
): Promise<ParsedFile> {
  if (options.template === 'results') {
    throw new FileShapeError('A CTF file holds pupils, not a results file.');
  }
  const file = await readCtf(source, facts);
  const asOf =
    /^\d{4}-\d{2}-\d{2}/.exec(file.header.dateTime ?? '')?.[0] ?? new Date().toISOString().slice(0, 10);
  const context = {
    asOf,
    ks2Mapping: [...(options.ks2Mapping ?? []), ...DEFAULT_KS2_MAPPING],
    pseudonymousUpn: options.pseudonymousUpn,
    noNames: options.noNames,
  };
  async function* rows(): AsyncGenerator<ParsedRow> {
    for await (const pupil of file.pupils) {
      yield { kind: 'pupil', row: pupil.index, ...readCtfPupil(pupil, context) };
    }
    for (const [path, count] of file.ignored) {
      yield { kind: 'pupil', row: 0, issues: [], unmapped: Array.from({ length: count }, () => `/${path}`) };
    }
  }
  return { format: 'ctf', template: 'pupils', mapped: new Map(), dropped: [], rows: rows() };
}

export interface ParseOptions extends RowOptions {
  /** pupils or results; guessed from the headers when absent. */
  template?: Template | undefined;
  /** The school's column mapping: file header → Haven field (null drops the column). */
  columns?: Readonly<Record<string, string | null>> | undefined;
  /** For a marksheet without an assessment point column: the point every grade in it belongs to. */
  assessmentPoint?: string | undefined;
  /** Extra CTF KS2 code mappings, tried before the defaults. */
  ks2Mapping?: readonly Ks2Mapping[] | undefined;
}

export type ParsedRow =
  | { kind: 'pupil'; row: number; record?: PupilRecord; issues: ImportIssue[]; unmapped?: string[] }
  | { kind: 'result'; row: number; record?: ResultRecord; issues: ImportIssue[]; unknownSubject?: string };

export interface ParsedFile {
  format: 'csv' | 'xlsx' | 'ctf' | 'oneroster';
  template: Template;
  mapped: Map<string, string>;
  dropped: string[];
  rows: AsyncIterable<ParsedRow>;
}

const ZIP_MAGIC = Buffer.from('PK\u0003\u0004', 'latin1');

/** Opens a tabular file (CSV or XLSX, recognised by content), maps its columns, and parses its rows. */
export async function parseFile(
  source: ImportSource,
  facts: SourceFacts,
  options: ParseOptions,
  resolveSubject: (name: string) => string | undefined,
): Promise<ParsedFile> {
  if (source.size === 0) {
    throw new FileShapeError('The file is empty.');
  }
  const isZip = facts.head.subarray(0, 4).equals(ZIP_MAGIC);
  const text = new TextDecoder(facts.encoding).decode(facts.head.subarray(facts.bom)).trimStart();
  if (!isZip && text.startsWith('<')) {
    return parseCtf(source, facts, options);
  }
  // XLSX workbooks are zips too: a file named .zip is taken for a OneRoster export.
  if (isZip && /\.zip$/i.test(source.name)) {
    return parseOneRoster(source, options);
  }
  const format = isZip ? 'xlsx' : 'csv';
  const file: TabularFile = isZip ? await readXlsx(source) : await readCsv(source, facts);
  const template =
    options.template ?? guessTemplate(file.headers, (name) => resolveSubject(name) !== undefined);
  const mapping = mapColumns(template, file.headers, options.columns);
  const { mapped, problems } = mapping;
  // In a marksheet every other column is a subject (or says it is not, by mapping it to null).
  const subjectColumns =
    template === 'marksheet'
      ? file.headers.flatMap((header, index) =>
          mapping.dropped.includes(header) && !Object.hasOwn(options.columns ?? {}, header)
            ? [{ index, header }]
            : [],
        )
      : [];
  const dropped = mapping.dropped.filter(
    (header) => !subjectColumns.some((column) => column.header === header),
  );
  if (problems.length > 0) {
    throw new FileShapeError(`The column mapping does not fit this file: ${problems.join('; ')}.`);
  }
  const fields = new Set(mapped.values());
  if (
    template === 'results' &&
    !(fields.has('subject') && fields.has('grade') && fields.has('assessment_point'))
  ) {
    throw new FileShapeError(
      'A results file needs columns for subject, assessment point and grade (and upn, or forename and surname).',
    );
  }
  if (template === 'marksheet' && !fields.has('assessment_point') && options.assessmentPoint === undefined) {
    throw new FileShapeError(
      'A marksheet needs an assessment point: add an assessment point column, or name it for the whole file (--assessment-point "Y11 Mock").',
    );
  }
  if (!fields.has('upn') && !(fields.has('forename') && fields.has('surname'))) {
    throw new FileShapeError(
      'The file has no UPN column and no forename and surname columns: Haven cannot tell pupils apart. Map one with a column mapping.',
    );
  }
  const columnOf = new Map<string, number>();
  const headerOf = new Map<string, string>();
  file.headers.forEach((header, index) => {
    const field = mapped.get(header);
    if (field !== undefined) {
      columnOf.set(field, index);
      headerOf.set(field, header);
    }
  });
  const cellsOf = (row: SourceRow): FieldCells => ({
    row: row.row,
    has: (field) => columnOf.has(field),
    get: (field) => {
      const index = columnOf.get(field);
      return index === undefined ? undefined : (row.cells[index] ?? '');
    },
    column: (field) => headerOf.get(field) ?? field,
  });
  async function* rows(): AsyncGenerator<ParsedRow> {
    for await (const row of file.rows) {
      const cells = cellsOf(row);
      if (template === 'marksheet') {
        for (const result of readMarksheetRow(cells, row.cells, subjectColumns, options, resolveSubject)) {
          yield { kind: 'result', row: row.row, ...result };
        }
        continue;
      }
      yield template === 'pupils'
        ? { kind: 'pupil', row: row.row, ...readPupilRow(cells, options) }
        : { kind: 'result', row: row.row, ...readResultRow(cells, options, resolveSubject) };
    }
  }
  return { format, template, mapped, dropped, rows: rows() };
}
