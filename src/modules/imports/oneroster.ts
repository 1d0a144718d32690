import { readPupilRow, type FieldCells } from './pupil-rows.ts';
import type { ParsedFile, ParsedRow, ParseOptions } from './parse.ts';
import { readCsv } from './readers/csv.reader.ts';
import { FileShapeError } from './readers/rows.ts';
import { readZipEntries } from './readers/zip.reader.ts';
import type { ImportIssue } from './report.ts';
import { bufferSource, inspectSource, type ImportSource } from './source.ts';
import { upnProblem } from '../pupils/upn.ts';

// OneRoster 1.2 CSV (1.1 also read): rostering of pupils, classes and enrolments from a zip of CSV files.

const FILES = [
  'manifest.csv',
  'orgs.csv',
  'users.csv',
  'roles.csv',
  'classes.csv',
  'courses.csv',
  'enrollments.csv',
  'demographics.csv',
];
// A rostering zip is small; a bigger upload is not one.
const MAX_ZIP_BYTES = 200 * 1024 * 1024;

interface Table {
  name: string;
  rows: Array<{ row: number; get: (column: string) => string }>;
}

async function readTable(name: string, content: Buffer | undefined): Promise<Table> {
  if (content === undefined) {
    return { name, rows: [] };
  }
  const source = bufferSource(name, content);
  const file = await readCsv(source, await inspectSource(source)).catch((error: unknown) => {
    throw error instanceof FileShapeError
      ? new FileShapeError(`${name}: ${error.message}`, error.row)
      : error;
  });
  const index = new Map(file.headers.map((header, position) => [header.trim().toLowerCase(), position]));
  const rows: Table['rows'] = [];
  for await (const row of file.rows) {
    rows.push({
      row: row.row,
      get: (column) => row.cells[index.get(column.toLowerCase()) ?? -1]?.trim() ?? '',
    });
  }
  return { name, rows };
}

async function readAll(source: ImportSource): Promise<Buffer> {
  if (source.size > MAX_ZIP_BYTES) {
    throw new FileShapeError(
      `The zip is ${source.size} bytes; a OneRoster export over ${MAX_ZIP_BYTES} bytes is not accepted.`,
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of source.open()) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks);
}

/** "{UPN:H801200001001},{Fed:12}" → Map(type → value). */
function userIds(text: string): Map<string, string> {
  const ids = new Map<string, string>();
  for (const match of text.matchAll(/\{([^:{}]+):([^{}]+)\}/g)) {
    ids.set((match[1] ?? '').trim().toUpperCase(), (match[2] ?? '').trim());
  }
  return ids;
}

const isActive = (status: string): boolean => status === '' || status.toLowerCase() === 'active';

export async function parseOneRoster(source: ImportSource, options: ParseOptions): Promise<ParsedFile> {
  if (options.template === 'results') {
    throw new FileShapeError('A OneRoster zip holds rostering (pupils, classes, enrolments), not results.');
  }
  const entries = await readZipEntries(await readAll(source), (name) => FILES.includes(name.toLowerCase()));
  const byName = new Map([...entries].map(([name, content]) => [name.toLowerCase(), content]));
  if (!byName.has('manifest.csv') || !byName.has('users.csv')) {
    throw new FileShapeError('This zip is not a OneRoster CSV export: it needs manifest.csv and users.csv.');
  }
  const [manifest, users, roles, classes, courses, enrollments, demographics] = await Promise.all(
    [
      'manifest.csv',
      'users.csv',
      'roles.csv',
      'classes.csv',
      'courses.csv',
      'enrollments.csv',
      'demographics.csv',
    ].map((name) => readTable(name, byName.get(name))),
  );
  const version =
    manifest?.rows.find((row) => row.get('propertyName') === 'oneroster.version')?.get('value') ?? '';
  const notes: ImportIssue[] = [];
  if (!version.startsWith('1.2') && !version.startsWith('1.1')) {
    notes.push({
      severity: 'warning',
      path: 'manifest.csv',
      message: `oneroster.version is "${version.slice(0, 10)}"; Haven reads 1.1 and 1.2`,
    });
  }
  const students = new Set(
    (roles?.rows ?? [])
      .filter((row) => row.get('role').toLowerCase() === 'student' && isActive(row.get('status')))
      .map((row) => row.get('userSourcedId')),
  );
  const demographic = new Map((demographics?.rows ?? []).map((row) => [row.get('sourcedId'), row]));
  const courseTitle = new Map((courses?.rows ?? []).map((row) => [row.get('sourcedId'), row.get('title')]));
  const className = new Map(
    (classes?.rows ?? [])
      .filter((row) => isActive(row.get('status')))
      .map((row) => [
        row.get('sourcedId'),
        row.get('classCode') ||
          row.get('title') ||
          courseTitle.get(row.get('courseSourcedId')) ||
          row.get('sourcedId'),
      ]),
  );
  const classesOf = new Map<string, string[]>();
  for (const row of enrollments?.rows ?? []) {
    const name = className.get(row.get('classSourcedId'));
    if (row.get('role').toLowerCase() !== 'student' || !isActive(row.get('status')) || name === undefined) {
      continue;
    }
    const list = classesOf.get(row.get('userSourcedId')) ?? [];
    list.push(name.replaceAll(';', ','));
    classesOf.set(row.get('userSourcedId'), list);
  }
  const usersTable = users ?? { name: 'users.csv', rows: [] };
  async function* rows(): AsyncGenerator<ParsedRow> {
    yield { kind: 'pupil', row: 0, issues: notes };
    let skipped = 0;
    for (const user of usersTable.rows) {
      const id = user.get('sourcedId');
      const role = user.get('role').toLowerCase();
      const isStudent =
        roles === undefined || roles.rows.length === 0 ? role === 'student' : students.has(id);
      if (!isStudent) {
        continue;
      }
      if (!isActive(user.get('status'))) {
        skipped += 1;
        continue;
      }
      const ids = userIds(user.get('userIds'));
      const identifier = user.get('identifier');
      const upn =
        ids.get('UPN') ??
        (identifier !== '' && (options.pseudonymousUpn || upnProblem(identifier.toUpperCase()) === undefined)
          ? identifier
          : '');
      const person = demographic.get(id);
      const sex = person?.get('sex').toLowerCase() ?? '';
      const values: Record<string, [string, string]> = {
        upn: [upn, ids.has('UPN') ? 'userIds' : 'identifier'],
        forename: [user.get('givenName'), 'givenName'],
        surname: [user.get('familyName'), 'familyName'],
        preferred_forename: [user.get('preferredGivenName'), 'preferredGivenName'],
        preferred_surname: [user.get('preferredFamilyName'), 'preferredFamilyName'],
        year_group: [user.get('grades').split(',')[0] ?? '', 'grades'],
        dob: [person?.get('birthDate') ?? '', 'demographics.csv birthDate'],
        sex: [
          sex === 'male' ? 'M' : sex === 'female' ? 'F' : (person?.get('sex') ?? ''),
          'demographics.csv sex',
        ],
        class: [(classesOf.get(id) ?? []).join(';'), 'enrollments.csv'],
      };
      const present = (field: string) =>
        field === 'dob' || field === 'sex'
          ? demographics !== undefined && demographics.rows.length > 0
          : field === 'class'
            ? enrollments !== undefined && enrollments.rows.length > 0
            : true;
      const cells: FieldCells = {
        row: user.row,
        has: (field) => field in values && present(field),
        get: (field) => values[field]?.[0],
        column: (field) => `users.csv ${values[field]?.[1] ?? field}`,
      };
      yield { kind: 'pupil', row: user.row, ...readPupilRow(cells, options) };
    }
    if (skipped > 0) {
      yield {
        kind: 'pupil',
        row: 0,
        issues: [
          {
            severity: 'warning',
            path: 'users.csv',
            message: `${skipped} pupil(s) marked tobedeleted were not imported`,
          },
        ],
      };
    }
  }
  return { format: 'oneroster', template: 'pupils', mapped: new Map(), dropped: [], rows: rows() };
}
