import type { ResultRecord } from '../curriculum/result-record.ts';
import type { PupilRecord } from '../pupils/pupil-record.ts';
import { keyString } from '../pupils/pupils.service.ts';
import type { PupilLookup } from './batch-writer.ts';
import type { ParsedRow } from './parse.ts';
import type { ReportBuilder } from './report.ts';
import { ResultKeys } from './result-keys.ts';

// Results are checked against the school's pupils this many at a time (one lookup per batch).
export const RESULT_BATCH = 5_000;

/**
 * Checks a file's rows one by one — each row's own problems, then the rules across rows: a pupil twice,
 * a result twice (with the same or another grade), results for pupils the school does not have,
 * unknown subjects and unread columns — into a report. What it remembers per row is a packed number
 * (see ResultKeys); everything else is per pupil, per name or per batch.
 */
export class RowChecker {
  readonly report: ReportBuilder;
  readonly #lookup: PupilLookup;
  readonly #seenPupils = new Map<string, number>();
  readonly #seenResults = new ResultKeys();
  readonly #unknownSubjects = new Map<string, { rows: number; first: number }>();
  readonly #unmapped = new Map<string, number>();
  #pending: ResultRecord[] = [];
  /** Whether a waiting result repeats an earlier row of the file (the batch then needs de-duplicating). */
  #pendingRepeats = false;

  constructor(report: ReportBuilder, lookup: PupilLookup) {
    this.report = report;
    this.#lookup = lookup;
  }

  /** Results waiting for the check that their pupils exist. */
  get pendingResults(): number {
    return this.#pending.length;
  }

  /** Checks one row; returns its pupil record when it is one (results wait for `checkPupilsExist`). */
  check(parsed: ParsedRow): PupilRecord | undefined {
    const report = this.report;
    for (const issue of parsed.issues) {
      report.add(issue);
    }
    if (parsed.kind === 'pupil') {
      for (const name of parsed.unmapped ?? []) {
        this.#unmapped.set(name, (this.#unmapped.get(name) ?? 0) + 1);
      }
    }
    if (parsed.kind === 'result' && parsed.unknownSubject !== undefined) {
      const seen = this.#unknownSubjects.get(parsed.unknownSubject);
      this.#unknownSubjects.set(parsed.unknownSubject, {
        rows: (seen?.rows ?? 0) + 1,
        first: seen?.first ?? parsed.row,
      });
    }
    if (parsed.record === undefined) {
      return undefined;
    }
    if (parsed.kind === 'pupil') {
      this.#checkPupil(parsed.row, parsed.record);
      return parsed.record;
    }
    this.#checkResult(parsed.record);
    return undefined;
  }

  #checkPupil(row: number, record: PupilRecord): void {
    const report = this.report;
    report.count('pupils');
    const key = keyString(record.key);
    const earlier = this.#seenPupils.get(key);
    if (earlier !== undefined) {
      report.error({ row, field: 'upn', message: `the same pupil is already on row ${earlier}` });
    } else {
      this.#seenPupils.set(key, row);
    }
    if (record.priorAttainment !== undefined) {
      report.count('prior_attainment');
    }
    if ((record.classes?.length ?? 0) > 0) {
      report.count('class_memberships', record.classes?.length);
    }
  }

  #checkResult(record: ResultRecord): void {
    const report = this.report;
    report.count('results');
    const earlier = this.#seenResults.earlier(
      keyString(record.key),
      record.subject,
      record.assessmentPoint,
      record.facet,
      record.row,
      record.grade,
    );
    if (earlier !== undefined && earlier.grade !== record.grade) {
      report.error({
        row: record.row,
        field: 'grade',
        message: `conflicts with row ${earlier.row}: the same pupil, subject, assessment point and facet with another grade`,
      });
    } else if (earlier !== undefined) {
      report.warning({ row: record.row, message: `repeats row ${earlier.row}` });
    }
    this.#pendingRepeats ||= earlier !== undefined;
    this.#pending.push(record);
  }

  /**
   * Checks that the waiting results' pupils are the school's (one lookup for the batch), and hands the
   * results over (and whether one of them repeats an earlier row): the pupils' ids are then known to
   * the lookup.
   */
  async checkPupilsExist(): Promise<{ records: ResultRecord[]; repeats: boolean }> {
    const pending = this.#pending;
    const repeats = this.#pendingRepeats;
    this.#pending = [];
    this.#pendingRepeats = false;
    if (pending.length === 0) {
      return { records: pending, repeats };
    }
    const found = await this.#lookup.resolve(pending.map((record) => record.key));
    for (const record of pending) {
      if (!found.has(keyString(record.key))) {
        this.report.error({
          row: record.row,
          field: 'upn',
          message: 'no pupil in this school has this UPN (or name): import the pupils first',
        });
      }
    }
    return { records: pending, repeats };
  }

  /** The problems known only at the end of the file: unread columns and unknown subject names. */
  finish(): void {
    const report = this.report;
    for (const [name, times] of this.#unmapped) {
      report.warning({
        path: name.startsWith('/') ? name : undefined,
        message: name.startsWith('KS2 ')
          ? `${name}: a KS2 assessment Haven does not map, on ${times} pupil(s); add a KS2 mapping if it should count as prior attainment`
          : `<${name.split('/').at(-1) ?? name}> is not read, on ${times} pupil(s) or place(s)`,
      });
    }
    for (const [name, { rows, first }] of this.#unknownSubjects) {
      report.error({
        field: 'subject',
        value: name,
        message: `unknown subject name on ${rows} row(s) (first on row ${first}): map it to a subject (e.g. --subject "${name}=english_literature")`,
      });
    }
  }
}
