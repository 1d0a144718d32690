import { recordAudit, type Actor as AuditActor } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import type { Services } from '../../services.ts';
import { isSubjectCode, saveSubjectNames, subjectResolver } from '../curriculum/curriculum.service.ts';
import type { ResultRecord } from '../curriculum/result-record.ts';
import type { PupilRecord } from '../pupils/pupil-record.ts';
import { keyString } from '../pupils/pupils.service.ts';
import { BatchWriter, PupilLookup } from './batch-writer.ts';
import { parseFile, type ParseOptions, type ParsedRow } from './parse.ts';
import * as imports from './imports.repository.ts';
import { FileShapeError } from './readers/rows.ts';
import { ReportBuilder, type ImportReport } from './report.ts';
import { inspectSource, type ImportSource, type SourceFacts } from './source.ts';

export interface ImportOptions extends ParseOptions {
  /** The school's names for subjects the catalogue does not know: name → catalogue code. */
  subjects?: Readonly<Record<string, string>> | undefined;
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
}

export interface ImportOutcome {
  importId: string;
  status: 'committed' | 'refused' | 'validated';
  report: ImportReport;
  /** What the commit changed, e.g. { pupils_created: 10, results_written: 300 }. */
  written: Record<string, number>;
}

// Rows per write: pupils carry encryption work each; results are small and go through unnest().
export const BATCH = 500;
export const RESULT_BATCH = 5_000;
// A file up to this many rows is parsed once: the checked rows are kept in memory for the commit.
// Bigger files are read a second time instead, so memory stays bounded whatever the file's size.
const KEEP_ROWS = 300_000;

/** Rows parsed by the first pass, kept for the second when the file is small enough. */
export interface KeptRows {
  template: string;
  rows: ParsedRow[];
}

// An audit event names the pupils an import changed, up to this many (the import row links the rest).
const AUDIT_SUBJECT_CAP = 10_000;

/**
 * Imports a file in two passes over it: the first checks every row and cross-row rule and builds the
 * report; only a report with no errors leads to the second, which writes everything in one transaction.
 * Either the whole file lands or nothing does, and memory stays bounded by the batch, not the file.
 */
export async function runImport(services: Services, request: ImportRequest): Promise<ImportOutcome> {
  const { facts, report: built, errorCount, kept } = await validateFile(services, request);
  if (errorCount > 0 || request.dryRun) {
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
  return commitFile(services, request, facts, built, undefined, kept);
}

/** The first pass alone: the file's facts and its validation report (nothing is written). */
export async function validateFile(
  services: Services,
  request: Pick<ImportRequest, 'schoolId' | 'source' | 'options' | 'onProgress'>,
): Promise<{ facts: SourceFacts; report: ImportReport; errorCount: number; kept: KeptRows | undefined }> {
  const facts = await inspectSource(request.source);
  const { report, kept } = await validate(services, request, facts);
  return { facts, report: report.build(), errorCount: report.errorCount, kept };
}

function actorName(actor: AuditActor): string {
  return `${actor.type}:${actor.id}`;
}

async function validate(
  services: Services,
  request: Pick<ImportRequest, 'schoolId' | 'source' | 'options' | 'onProgress'>,
  facts: SourceFacts,
): Promise<{ report: ReportBuilder; kept: KeptRows | undefined }> {
  const { options } = request;
  const report = new ReportBuilder('unknown');
  return services.db.withSchool(request.schoolId, async (trx) => {
    for (const [name, code] of Object.entries(options.subjects ?? {})) {
      if (!isSubjectCode(code)) {
        report.error({
          field: 'subject',
          value: code.slice(0, 40),
          message: `the subject mapping sends "${name.slice(0, 60)}" to an unknown subject code`,
        });
      }
    }
    const vault = new SchoolVault(services.keyring, trx, request.schoolId);
    const resolve = await subjectResolver(trx, request.schoolId, options.subjects ?? {});
    try {
      const parsed = await parseFile(request.source, facts, options, resolve);
      const withFormat = new ReportBuilder(`${parsed.template}-${parsed.format}`);
      for (const issue of report.build().errors) {
        withFormat.add(issue);
      }
      withFormat.columns(Object.fromEntries(parsed.mapped), parsed.dropped);
      if (parsed.dropped.length > 0) {
        withFormat.warning({
          message: `${parsed.dropped.length} column(s) map to no Haven field and were not read: ${parsed.dropped.join(', ').slice(0, 500)}`,
        });
      }
      if (parsed.format === 'csv' && facts.encoding === 'windows-1252') {
        withFormat.warning({
          message:
            'The file is not UTF-8; it was read as Windows-1252 (Excel’s usual encoding). Check that names with accents look right.',
        });
      }
      let kept: ParsedRow[] | undefined = [];
      async function* keeping(): AsyncGenerator<ParsedRow> {
        for await (const row of parsed.rows) {
          if (kept !== undefined) {
            kept = kept.length < KEEP_ROWS ? (kept.push(row), kept) : undefined;
          }
          yield row;
        }
      }
      await checkRows(keeping(), withFormat, vault, request);
      return {
        report: withFormat,
        kept: kept === undefined ? undefined : { template: parsed.template, rows: kept },
      };
    } catch (error) {
      if (error instanceof FileShapeError) {
        report.error({ ...(error.row === undefined ? {} : { row: error.row }), message: error.message });
        return { report, kept: undefined };
      }
      throw error;
    }
  });
}

async function checkRows(
  rows: AsyncIterable<ParsedRow>,
  report: ReportBuilder,
  vault: SchoolVault,
  request: Pick<ImportRequest, 'onProgress'>,
): Promise<void> {
  const seenPupils = new Map<string, number>();
  const seenResults = new Map<string, { grade: string; row: number }>();
  const unknownSubjects = new Map<string, number[]>();
  const unmapped = new Map<string, number>();
  let pending: ResultRecord[] = [];
  let done = 0;
  const lookup = new PupilLookup(vault);
  const checkPupilsExist = async (): Promise<void> => {
    const found = await lookup.resolve(pending.map((record) => record.key));
    for (const record of pending) {
      if (!found.has(keyString(record.key))) {
        report.error({
          row: record.row,
          field: 'upn',
          message: 'no pupil in this school has this UPN (or name): import the pupils first',
        });
      }
    }
    pending = [];
  };
  for await (const parsed of rows) {
    for (const issue of parsed.issues) {
      report.add(issue);
    }
    done += 1;
    if (done % 5000 === 0) {
      request.onProgress?.({ phase: 'checking', rows: done });
    }
    if (parsed.kind === 'pupil') {
      for (const name of parsed.unmapped ?? []) {
        unmapped.set(name, (unmapped.get(name) ?? 0) + 1);
      }
    }
    if (parsed.kind === 'result' && parsed.unknownSubject !== undefined) {
      const rowsOf = unknownSubjects.get(parsed.unknownSubject) ?? [];
      rowsOf.push(parsed.row);
      unknownSubjects.set(parsed.unknownSubject, rowsOf);
    }
    if (parsed.record === undefined) {
      continue;
    }
    if (parsed.kind === 'pupil') {
      report.count('pupils');
      const key = keyString(parsed.record.key);
      const earlier = seenPupils.get(key);
      if (earlier !== undefined) {
        report.error({
          row: parsed.row,
          field: 'upn',
          message: `the same pupil is already on row ${earlier}`,
        });
      } else {
        seenPupils.set(key, parsed.row);
      }
      countPupilParts(report, parsed.record);
      continue;
    }
    report.count('results');
    const record = parsed.record;
    const key = `${keyString(record.key)}|${record.subject}|${record.assessmentPoint}|${record.facet}`;
    const earlier = seenResults.get(key);
    if (earlier === undefined) {
      seenResults.set(key, { grade: record.grade, row: record.row });
    } else if (earlier.grade !== record.grade) {
      report.error({
        row: record.row,
        field: 'grade',
        message: `conflicts with row ${earlier.row}: the same pupil, subject, assessment point and facet with another grade`,
      });
    } else {
      report.warning({ row: record.row, message: `repeats row ${earlier.row}` });
    }
    pending.push(record);
    if (pending.length >= RESULT_BATCH) {
      await checkPupilsExist();
    }
  }
  await checkPupilsExist();
  for (const [name, times] of unmapped) {
    report.warning({
      path: name.startsWith('/') ? name : undefined,
      message: name.startsWith('KS2 ')
        ? `${name}: a KS2 assessment Haven does not map, on ${times} pupil(s); add a KS2 mapping if it should count as prior attainment`
        : `<${name.split('/').at(-1) ?? name}> is not read, on ${times} pupil(s) or place(s)`,
    });
  }
  for (const [name, rowsOf] of unknownSubjects) {
    report.error({
      field: 'subject',
      value: name,
      message: `unknown subject name on ${rowsOf.length} row(s) (first on row ${rowsOf[0]}): map it to a subject (e.g. --subject "${name}=english_literature")`,
    });
  }
}

function countPupilParts(report: ReportBuilder, record: PupilRecord): void {
  if (record.priorAttainment !== undefined) {
    report.count('prior_attainment');
  }
  if ((record.classes?.length ?? 0) > 0) {
    report.count('class_memberships', record.classes?.length);
  }
}

/**
 * The second pass: writes the whole file in one transaction. `stagedImportId` is the record of an
 * upload validated earlier (the API's two steps); otherwise the import's record is made here.
 */
export async function commitFile(
  services: Services,
  request: ImportRequest,
  facts: SourceFacts,
  validated: ImportReport,
  stagedImportId?: string,
  kept?: KeptRows,
): Promise<ImportOutcome> {
  const { schoolId, options } = request;
  return services.db.withSchool(schoolId, async (trx) => {
    const importId =
      stagedImportId ??
      (await imports.insertImport(trx, {
        schoolId,
        format: validated.format,
        fileDigest: facts.digest,
        fileSize: request.source.size,
        status: 'committed',
        counts: validated.counts,
        report: validated,
        createdBy: actorName(request.actor),
      }));
    await saveSubjectNames(trx, schoolId, options.subjects ?? {});
    const vault = new SchoolVault(services.keyring, trx, schoolId);
    const resolve = await subjectResolver(trx, schoolId, options.subjects ?? {});
    const parsed = kept ?? (await parseFile(request.source, facts, options, resolve));
    const writer = new BatchWriter(trx, vault, schoolId, importId, actorName(request.actor), options);
    let batch: ParsedRow[] = [];
    let done = 0;
    for await (const row of parsed.rows) {
      batch.push(row);
      if (batch.length >= (parsed.template === 'pupils' ? BATCH : RESULT_BATCH)) {
        await writer.write(batch);
        done += batch.length;
        request.onProgress?.({ phase: 'writing', rows: done });
        batch = [];
      }
    }
    await writer.write(batch);
    request.onProgress?.({ phase: 'writing', rows: done + batch.length });
    await imports.finishImport(trx, schoolId, importId, { ...validated.counts, ...writer.written });
    const changed = [...writer.changedPupils];
    await recordAudit(trx, {
      orgId: schoolId,
      actor: request.actor,
      action: 'imports.committed',
      target: `import:${importId}`,
      requestId: request.requestId,
      subjectIds: changed.slice(0, AUDIT_SUBJECT_CAP),
      details: Object.fromEntries(
        Object.entries(writer.written).map(([name, value]) => [name, String(value)]),
      ),
    });
    return { importId, status: 'committed' as const, report: validated, written: writer.written };
  });
}
