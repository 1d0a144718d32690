// The validation report: every problem with where it is (row and column, or XML path) and what to do.
// Values are included only for fields that are not direct identifiers, so a report can be stored, shown
// and logged without carrying a pupil's name, UPN or date of birth.

export interface ImportIssue {
  severity: 'error' | 'warning';
  /** 1-based line of the file (the header is row 1), or undefined for whole-file problems. */
  row?: number;
  /** For XML: where in the document, e.g. /CTfile/CTFpupilData/Pupil[12]/BasicDetails/Ethnicity. */
  path?: string;
  /** The column as the file names it. */
  column?: string;
  /** The Haven field it maps to. */
  field?: string;
  /** The offending value, only when it is not personal data. */
  value?: string;
  message: string;
}

export interface ImportReport {
  format: string;
  /** Records read per type, e.g. { pupils: 1500, results: 150000 }. */
  counts: Record<string, number>;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  /** How many errors and warnings were left out once the lists reached their cap. */
  omitted: { errors: number; warnings: number };
  /** Columns in the file that map to nothing and were not read (data minimisation). */
  droppedColumns: string[];
  /** Columns read, and the field each became. */
  mappedColumns: Record<string, string>;
}

// A file with a systematic problem would otherwise produce one error per row: keep enough to act on.
const MAX_ISSUES = 1000;

export class ReportBuilder {
  readonly #report: ImportReport;

  constructor(format: string) {
    this.#report = {
      format,
      counts: {},
      errors: [],
      warnings: [],
      omitted: { errors: 0, warnings: 0 },
      droppedColumns: [],
      mappedColumns: {},
    };
  }

  get errorCount(): number {
    return this.#report.errors.length + this.#report.omitted.errors;
  }

  add(issue: ImportIssue): void {
    const list = issue.severity === 'error' ? this.#report.errors : this.#report.warnings;
    if (list.length < MAX_ISSUES) {
      list.push(issue);
    } else if (issue.severity === 'error') {
      this.#report.omitted.errors += 1;
    } else {
      this.#report.omitted.warnings += 1;
    }
  }

  error(issue: Omit<ImportIssue, 'severity'>): void {
    this.add({ severity: 'error', ...issue });
  }

  warning(issue: Omit<ImportIssue, 'severity'>): void {
    this.add({ severity: 'warning', ...issue });
  }

  count(type: string, by = 1): void {
    this.#report.counts[type] = (this.#report.counts[type] ?? 0) + by;
  }

  columns(mapped: Record<string, string>, dropped: string[]): void {
    this.#report.mappedColumns = mapped;
    this.#report.droppedColumns = dropped;
  }

  build(): ImportReport {
    const report = structuredClone(this.#report);
    return {
      ...report,
      errors: report.errors.map(storableIssue),
      warnings: report.warnings.map(storableIssue),
      droppedColumns: report.droppedColumns.map(storable),
      mappedColumns: Object.fromEntries(
        Object.entries(report.mappedColumns).map(([column, field]) => [storable(column), storable(field)]),
      ),
    };
  }
}

// A NUL or a lone UTF-16 surrogate from the file (in a value or a column name) cannot be stored in
// PostgreSQL's jsonb: the report shows U+FFFD in its place instead of failing the import's record.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storable(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

function storableIssue(issue: ImportIssue): ImportIssue {
  return {
    ...issue,
    message: storable(issue.message),
    ...(issue.path === undefined ? {} : { path: storable(issue.path) }),
    ...(issue.column === undefined ? {} : { column: storable(issue.column) }),
    ...(issue.field === undefined ? {} : { field: storable(issue.field) }),
    ...(issue.value === undefined ? {} : { value: storable(issue.value) }),
  };
}

/** One line per issue, for the terminal and the CSV download: "row 4, column Sex: ...". */
export function describeIssue(issue: ImportIssue): string {
  const where = [
    issue.row === undefined ? undefined : `row ${issue.row}`,
    issue.path,
    issue.column === undefined ? undefined : `column ${issue.column}`,
  ].filter((part) => part !== undefined);
  const value = issue.value === undefined ? '' : ` (value "${issue.value}")`;
  return `${where.length > 0 ? `${where.join(', ')}: ` : ''}${issue.message}${value}`;
}
