import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { SchoolVault } from '../../platform/crypto/vault.ts';
import {
  enrolInClasses,
  ensureAssessmentPoints,
  ensureSubjects,
  writeResults,
} from '../curriculum/curriculum.service.ts';
import type { ResultRecord } from '../curriculum/result-record.ts';
import type { PupilKey, PupilRecord } from '../pupils/pupil-record.ts';
import { findPupilsByKeys, keyString, writePupils } from '../pupils/pupils.service.ts';
import type { ImportOptions } from './imports.service.ts';
import type { ParsedRow } from './parse.ts';

// The commit's writing half: parsed rows written in batches inside the import's transaction.

/** Pupil ids by key, remembered across batches: a results file names the same pupils again and again. */
export class PupilLookup {
  readonly #known = new Map<string, string>();
  readonly #vault: SchoolVault;

  constructor(vault: SchoolVault) {
    this.#vault = vault;
  }

  async resolve(keys: readonly PupilKey[]): Promise<ReadonlyMap<string, string>> {
    const missing = keys.filter((key) => !this.#known.has(keyString(key)));
    if (missing.length > 0) {
      for (const [key, id] of await findPupilsByKeys(this.#vault, missing)) {
        this.#known.set(key, id);
      }
    }
    return this.#known;
  }
}
/** Writes parsed rows batch by batch inside the import's transaction, keeping the counts. */
export class BatchWriter {
  readonly written: Record<string, number> = {};
  readonly changedPupils = new Set<string>();
  readonly #subjects = new Map<string, string>();
  readonly #points = new Map<string, string>();
  readonly #enrolled = new Set<string>();
  readonly #pupils: PupilLookup;
  readonly #trx: Transaction<DB>;
  readonly #vault: SchoolVault;
  readonly #schoolId: string;
  readonly #importId: string;
  readonly #changedBy: string;
  readonly #options: ImportOptions;

  constructor(
    trx: Transaction<DB>,
    vault: SchoolVault,
    schoolId: string,
    importId: string,
    changedBy: string,
    options: ImportOptions,
  ) {
    this.#trx = trx;
    this.#vault = vault;
    this.#schoolId = schoolId;
    this.#importId = importId;
    this.#changedBy = changedBy;
    this.#options = options;
    this.#pupils = new PupilLookup(vault);
  }

  #add(name: string, by: number): void {
    this.written[name] = (this.written[name] ?? 0) + by;
  }

  async write(rows: ParsedRow[]): Promise<void> {
    const pupils = rows.flatMap((row) =>
      row.kind === 'pupil' && row.record !== undefined ? [row.record] : [],
    );
    const results = rows.flatMap((row) =>
      row.kind === 'result' && row.record !== undefined ? [row.record] : [],
    );
    if (pupils.length > 0) {
      await this.#writePupils(pupils);
    }
    if (results.length > 0) {
      await this.#writeResults(results);
    }
  }

  async #writePupils(records: PupilRecord[]): Promise<void> {
    const context = {
      trx: this.#trx,
      vault: this.#vault,
      schoolId: this.#schoolId,
      importId: this.#importId,
      changedBy: this.#changedBy,
    };
    const outcome = await writePupils(context, records, { pseudonymousUpn: this.#options.pseudonymousUpn });
    this.#add('pupils_created', outcome.created.length);
    this.#add('pupils_updated', outcome.updated.length);
    this.#add('pupils_unchanged', outcome.unchanged);
    this.#add('prior_attainment_written', outcome.priorAttainmentWritten);
    for (const id of [...outcome.created, ...outcome.updated]) {
      this.changedPupils.add(id);
    }
    const enrolments = records.flatMap((record) =>
      (record.classes ?? []).map((className) => ({
        pupilId: outcome.idsByRow.get(record.row) ?? '',
        className,
      })),
    );
    this.#add('class_memberships_added', await enrolInClasses(this.#trx, this.#schoolId, enrolments));
  }

  async #writeResults(records: ResultRecord[]): Promise<void> {
    const pupilIds = await this.#pupils.resolve(records.map((record) => record.key));
    const newSubjects = records.map((record) => record.subject).filter((code) => !this.#subjects.has(code));
    if (newSubjects.length > 0) {
      for (const [code, id] of await ensureSubjects(this.#trx, this.#schoolId, new Set(newSubjects))) {
        this.#subjects.set(code, id);
      }
    }
    const newPoints = records
      .map((record) => record.assessmentPoint)
      .filter((name) => !this.#points.has(name));
    if (newPoints.length > 0) {
      for (const [name, id] of await ensureAssessmentPoints(this.#trx, this.#schoolId, new Set(newPoints))) {
        this.#points.set(name, id);
      }
    }
    // A row repeated in the file (reported as a warning) must not reach one INSERT twice.
    const unique = new Map(
      records.map((record) => [
        `${keyString(record.key)}|${record.subject}|${record.assessmentPoint}|${record.facet}`,
        record,
      ]),
    );
    const resolved = [...unique.values()].map((record) => ({
      ...record,
      pupilId: pupilIds.get(keyString(record.key)) ?? '',
      subjectId: this.#subjects.get(record.subject) ?? '',
      assessmentPointId: this.#points.get(record.assessmentPoint) ?? '',
    }));
    const written = await writeResults(this.#trx, this.#schoolId, this.#importId, resolved);
    this.#add('results_written', written);
    this.#add('results_unchanged', records.length - written);
    if (written > 0) {
      for (const record of resolved) {
        this.changedPupils.add(record.pupilId);
      }
    }
    // Each pupil and class pair once per import, however many results repeat it.
    const enrolments = new Map<string, { pupilId: string; className: string; subjectId: string }>();
    for (const record of resolved) {
      const pair = `${record.className ?? ''}|${record.pupilId}`;
      if (record.className !== undefined && !this.#enrolled.has(pair)) {
        this.#enrolled.add(pair);
        enrolments.set(pair, {
          pupilId: record.pupilId,
          className: record.className,
          subjectId: record.subjectId,
        });
      }
    }
    this.#add(
      'class_memberships_added',
      await enrolInClasses(this.#trx, this.#schoolId, [...enrolments.values()]),
    );
  }
}
