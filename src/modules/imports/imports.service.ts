import { limitedPupilIds } from '../privacy/limits.service.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { recordAudit, type Actor as AuditActor } from '../../platform/audit/audit-log.ts';
import { classifyDatabaseError } from '../../platform/db/errors.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import type { Services } from '../../services.ts';
import { isSubjectCode, saveSubjectNames, subjectResolver } from '../curriculum/curriculum.service.ts';
import type { PupilRecord } from '../pupils/pupil-record.ts';
import { BatchWriter, PupilLookup, type PreparedResults } from './batch-writer.ts';
import { parseFile, type ParsedFile, type ParseOptions, type ParsedRow } from './parse.ts';
import * as imports from './imports.repository.ts';
import { FileShapeError } from './readers/rows.ts';
import { ReportBuilder, type ImportReport } from './report.ts';
import { RESULT_BATCH, RowChecker } from './row-checker.ts';
import { WritePipeline } from './write-pipeline.ts';
import { withoutFields, type OmittableField } from './minimise.ts';
import { inspectSource, type ImportSource, type SourceFacts } from './source.ts';

export interface ImportOptions extends ParseOptions {
  /** The school's names for subjects the catalogue does not know: name → catalogue code. */
  subjects?: Readonly<Record<string, string>> | undefined;
  /** Fields never to load, whatever the file holds (a connector's data minimisation). */
  omit?: ReadonlySet<OmittableField> | undefined;
}

export interface ImportRequest {
  schoolId: string;
  source: ImportSource;
  options: ImportOptions;
  actor: AuditActor;
  /** Validate and report only; write nothing but the import's record. */
  dryRun: boolean;
  requestId?: string | undefined;
  onProgress?: ((progress: { phase: 'checking' | 'writing'; rows: number }) => void) | undefined;
  /**
   * Runs inside the commit's transaction after every row is written, before the audit event (a sync
   * marks leavers here, so the file and its consequences land together or not at all). Its counts are
   * added to what the import wrote.
   */
  afterWrite?:
    ((trx: Transaction<DB>, written: WrittenPupils) => Promise<Record<string, number>>) | undefined;
}

/** The pupils a committed file named (whether or not they changed), and those left as they were. */
export interface WrittenPupils {
  importId: string;
  seen: ReadonlySet<string>;
  restricted: ReadonlySet<string>;
}

export interface ImportOutcome {
  importId: string;
  status: 'committed' | 'refused' | 'validated';
  report: ImportReport;
  /** What the commit changed, e.g. { pupils_created: 10, results_written: 300 }. */
  written: Record<string, number>;
}

// Pupils are written this many at a time (each carries encryption work); results go RESULT_BATCH at a time.
export const BATCH = 500;
export { RESULT_BATCH };

// An audit event names the pupils an import changed, up to this many (the import row links the rest).
const AUDIT_SUBJECT_CAP = 10_000;

/**
 * Imports a file: every row and cross-row rule is checked and the report built, and only a file with no
 * errors is committed. A real import does both in one pass over the file inside one transaction (rows
 * are written batch by batch while the next are read, and the first error stops the writing and rolls
 * everything back), so either the whole file lands or nothing does; a dry run only checks. Memory stays
 * bounded by the batch, plus a few bytes per result row and a map entry per pupil (see RowChecker).
 */
export async function runImport(services: Services, request: ImportRequest): Promise<ImportOutcome> {
  if (request.dryRun) {
    const { facts, report, errorCount } = await validateFile(services, request);
    return recordUncommitted(services, request, facts, report, errorCount);
  }
  const attempt = await checkAndCommit(services, request);
  return attempt.status === 'committed'
    ? attempt.outcome
    : recordUncommitted(services, request, attempt.facts, attempt.report, attempt.errorCount);
}

/** The import's record (and audit) for a file that was refused, or only validated (a dry run). */
async function recordUncommitted(
  services: Services,
  request: ImportRequest,
  facts: SourceFacts,
  built: ImportReport,
  errorCount: number,
): Promise<ImportOutcome> {
  const status = errorCount > 0 ? 'refused' : 'validated';
  const importId = await services.db.withSchool(request.schoolId, async (trx) => {
    const id = await imports.insertImport(trx, {
      schoolId: request.schoolId,
      format: built.format,
      fileDigest: facts.digest,
      fileSize: request.source.size,
      status,
      counts: built.counts,
      report: built,
      createdBy: actorName(request.actor),
    });
    await recordAudit(trx, {
      orgId: request.schoolId,
      actor: request.actor,
      action: status === 'refused' ? 'imports.refused' : 'imports.validated',
      target: `import:${id}`,
      requestId: request.requestId,
      details: { errors: String(errorCount) },
    });
    return id;
  });
  return { importId, status, report: built, written: {} };
}

/** Checking alone: the file's facts and its validation report (nothing is written). */
export async function validateFile(
  services: Services,
  request: Pick<ImportRequest, 'schoolId' | 'source' | 'options' | 'onProgress'>,
): Promise<{ facts: SourceFacts; report: ImportReport; errorCount: number }> {
  const facts = await inspectSource(request.source);
  const report = await services.db.withSchool(request.schoolId, async (trx) => {
    const opened = await openFile(services, trx, request, facts);
    if (opened.parsed === undefined) {
      return opened.report;
    }
    const checker = new RowChecker(opened.report, new PupilLookup(opened.vault));
    try {
      let done = 0;
      for await (const row of opened.parsed.rows) {
        checker.check(row);
        done = progressed(request, done);
        if (checker.pendingResults >= RESULT_BATCH) {
          await checker.checkPupilsExist();
        }
      }
      await checker.checkPupilsExist();
      checker.finish();
      return opened.report;
    } catch (error) {
      return shapeProblem(error, opened.before);
    }
  });
  return { facts, report: report.build(), errorCount: report.errorCount };
}

function actorName(actor: AuditActor): string {
  return `${actor.type}:${actor.id}`;
}

/** Counts a row read, reporting progress every 5,000. */
function progressed(request: Pick<ImportRequest, 'onProgress'>, done: number): number {
  if ((done + 1) % 5000 === 0) {
    request.onProgress?.({ phase: 'checking', rows: done + 1 });
  }
  return done + 1;
}

/** A file that is not the shape it claims to be is a report with that one error (and the mapping's). */
function shapeProblem(error: unknown, before: ReportBuilder): ReportBuilder {
  if (error instanceof FileShapeError) {
    before.error({ ...(error.row === undefined ? {} : { row: error.row }), message: error.message });
    return before;
  }
  // A value the database cannot hold (a NUL character in a class name, say) refuses the file, whole.
  if (classifyDatabaseError(error) === 'invalid_value') {
    before.error({
      message:
        'A value in the file cannot be stored: it holds a character such as NUL, or is too long or out of range.',
    });
    return before;
  }
  throw error;
}

interface OpenedFile {
  vault: SchoolVault;
  /** The report so far: the mapping's problems, the columns and the file-level warnings. */
  report: ReportBuilder;
  /** The report before the file was opened: a file of the wrong shape is reported on it alone. */
  before: ReportBuilder;
  parsed: ParsedFile | undefined;
}

/** Checks the subject mapping, opens the file and maps its columns; reports what is wrong with them. */
async function openFile(
  services: Services,
  trx: Transaction<DB>,
  request: Pick<ImportRequest, 'schoolId' | 'source' | 'options'>,
  facts: SourceFacts,
): Promise<OpenedFile> {
  const { options } = request;
  const before = new ReportBuilder('unknown');
  for (const [name, code] of Object.entries(options.subjects ?? {})) {
    if (!isSubjectCode(code)) {
      before.error({
        field: 'subject',
        value: code.slice(0, 40),
        message: `the subject mapping sends "${name.slice(0, 60)}" to an unknown subject code`,
      });
    }
  }
  const vault = new SchoolVault(services.keyring, trx, request.schoolId);
  const resolve = await subjectResolver(trx, request.schoolId, options.subjects ?? {});
  let parsed: ParsedFile;
  try {
    parsed = await parseFile(request.source, facts, options, resolve);
  } catch (error) {
    return { vault, report: shapeProblem(error, before), before, parsed: undefined };
  }
  if (options.omit !== undefined) {
    parsed = { ...parsed, rows: withoutFields(parsed.rows, options.omit) };
  }
  const report = new ReportBuilder(`${parsed.template}-${parsed.format}`);
  for (const issue of before.build().errors) {
    report.add(issue);
  }
  report.columns(Object.fromEntries(parsed.mapped), parsed.dropped);
  if (parsed.dropped.length > 0) {
    report.warning({
      message: `${parsed.dropped.length} column(s) map to no Haven field and were not read: ${parsed.dropped.join(', ').slice(0, 500)}`,
    });
  }
  if (parsed.format === 'csv' && facts.encoding === 'windows-1252') {
    report.warning({
      message:
        'The file is not UTF-8; it was read as Windows-1252 (Excel’s usual encoding). Check that names with accents look right.',
    });
  }
  return { vault, report, before, parsed };
}

/** The file had errors: everything written is rolled back, and the report says why. */
class Refused extends Error {
  readonly report: ReportBuilder;

  constructor(report: ReportBuilder) {
    super('the file has errors');
    this.report = report;
  }
}

export type CheckedCommit =
  | { status: 'committed'; outcome: ImportOutcome }
  | { status: 'refused'; facts: SourceFacts; report: ImportReport; errorCount: number };

/**
 * Checks and writes the file in one pass and one transaction. `stagedImportId` is the record of an
 * upload validated earlier (the API's steps); otherwise the import's record is made here. A file with
 * any error is rolled back whole and returned as refused, with the same report a check alone gives.
 */
export async function checkAndCommit(
  services: Services,
  request: ImportRequest,
  stagedImportId?: string,
): Promise<CheckedCommit> {
  const facts = await inspectSource(request.source);
  try {
    const outcome = await services.db.withSchool(request.schoolId, (trx) =>
      commitInTransaction(services, trx, request, facts, stagedImportId),
    );
    return { status: 'committed', outcome };
  } catch (error) {
    if (error instanceof Refused) {
      return { status: 'refused', facts, report: error.report.build(), errorCount: error.report.errorCount };
    }
    throw error;
  }
}

async function commitInTransaction(
  services: Services,
  trx: Transaction<DB>,
  request: ImportRequest,
  facts: SourceFacts,
  stagedImportId: string | undefined,
): Promise<ImportOutcome> {
  const { schoolId, options } = request;
  const opened = await openFile(services, trx, request, facts);
  if (opened.parsed === undefined) {
    throw new Refused(opened.report);
  }
  const { report, vault } = opened;
  const importId =
    stagedImportId ??
    (await imports.insertImport(trx, {
      schoolId,
      format: report.build().format,
      fileDigest: facts.digest,
      fileSize: request.source.size,
      status: 'committed',
      counts: {},
      report: report.build(),
      createdBy: actorName(request.actor),
    }));
  await saveSubjectNames(trx, schoolId, options.subjects ?? {});
  const lookup = new PupilLookup(vault);
  const checker = new RowChecker(report, lookup);
  const restricted = new Set(await limitedPupilIds(trx, schoolId, 'imports'));
  const writer = new BatchWriter(trx, vault, schoolId, importId, actorName(request.actor), {
    ...options,
    pupils: lookup,
    changedCap: AUDIT_SUBJECT_CAP,
    restricted,
    trackSeen: request.afterWrite !== undefined,
  });
  try {
    await checkAndWrite(opened.parsed.rows, checker, writer, request);
  } catch (error) {
    throw new Refused(shapeProblem(error, opened.before));
  }
  if (request.afterWrite !== undefined) {
    Object.assign(
      writer.written,
      await request.afterWrite(trx, { importId, seen: writer.seenPupils, restricted }),
    );
  }
  const validated = report.build();
  if (stagedImportId === undefined) {
    await imports.updateValidation(trx, schoolId, importId, {
      format: validated.format,
      status: 'committed',
      counts: validated.counts,
      report: validated,
    });
  }
  await imports.finishImport(trx, schoolId, importId, { ...validated.counts, ...writer.written });
  await recordAudit(trx, {
    orgId: schoolId,
    actor: request.actor,
    action: 'imports.committed',
    target: `import:${importId}`,
    requestId: request.requestId,
    subjectIds: [...writer.changedPupils],
    details: Object.fromEntries(Object.entries(writer.written).map(([name, value]) => [name, String(value)])),
  });
  return { importId, status: 'committed', report: validated, written: writer.written };
}

/**
 * The single pass: each row is checked as it is read; full batches of checked rows are written while
 * the next batch is read (the database works while JavaScript parses). Once the report has an error
 * nothing more is written, and the caller rolls back. Throws Refused when the file has errors.
 */
async function checkAndWrite(
  rows: AsyncIterable<ParsedRow>,
  checker: RowChecker,
  writer: BatchWriter,
  request: ImportRequest,
): Promise<void> {
  const pipeline = new WritePipeline();
  const clean = () => checker.report.errorCount === 0;
  let written = 0;
  const write = async (count: number, work: () => Promise<void>): Promise<void> => {
    if (clean() && count > 0) {
      await pipeline.push(work);
      written += count;
      request.onProgress?.({ phase: 'writing', rows: written });
    }
  };
  try {
    await readAndWrite(rows, checker, writer, request, write);
  } finally {
    // Never leave a write running when the transaction ends (by commit or by rollback).
    await pipeline.settle();
  }
  await pipeline.drain();
  if (!clean()) {
    throw new Refused(checker.report);
  }
}

/**
 * Reads, checks and writes. Results are kept one batch deeper than pupils: a checked batch is prepared
 * (ids resolved, rows built) and written only after the next batch's pupils have been looked up, so
 * the database runs lookup, write, lookup, write… back to back while JavaScript reads and prepares.
 */
async function readAndWrite(
  rows: AsyncIterable<ParsedRow>,
  checker: RowChecker,
  writer: BatchWriter,
  request: ImportRequest,
  write: (count: number, work: () => Promise<void>) => Promise<void>,
): Promise<void> {
  let pupils: PupilRecord[] = [];
  let prepared: PreparedResults | undefined;
  const resultsBatch = async (): Promise<void> => {
    const { records, repeats } = await checker.checkPupilsExist();
    if (prepared !== undefined) {
      const ready = prepared;
      await write(ready.records, () => writer.writeResults(ready));
    }
    prepared =
      checker.report.errorCount === 0 && records.length > 0
        ? await writer.prepareResults(records, repeats)
        : undefined;
  };
  let done = 0;
  for await (const row of rows) {
    const pupil = checker.check(row);
    done = progressed(request, done);
    if (pupil !== undefined) {
      pupils.push(pupil);
    }
    if (pupils.length >= BATCH) {
      const batch = pupils;
      pupils = [];
      await write(batch.length, () => writer.writePupils(batch));
    }
    if (checker.pendingResults >= RESULT_BATCH) {
      await resultsBatch();
    }
  }
  await resultsBatch();
  await resultsBatch();
  await write(pupils.length, () => writer.writePupils(pupils));
  checker.finish();
}
