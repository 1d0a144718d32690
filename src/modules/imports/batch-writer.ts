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

// The commit's writing half: parsed rows written in batches inside the import's transaction.

/**
 * Pupil ids by key, remembered across batches: a results file names the same pupils again and again.
 * One entry per pupil of the file (about 120 bytes each), not per row.
 */
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
  /** The pupils the import changed, in order, up to the number an audit event names. */
  readonly changedPupils = new Set<string>();
  readonly #subjects = new Map<string, string>();
  readonly #points = new Map<string, string>();
  readonly #classes = new Map<string, string>();
  readonly #pupils: PupilLookup;
  readonly #changedCap: number;
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
    options: ImportOptions & { pupils: PupilLookup; changedCap: number },
  ) {
    this.#trx = trx;
    this.#vault = vault;
    this.#schoolId = schoolId;
    this.#importId = importId;
    this.#changedBy = changedBy;
    this.#options = options;
    this.#pupils = options.pupils;
    this.#changedCap = options.changedCap;
  }

  #add(name: string, by: number): void {
    this.written[name] = (this.written[name] ?? 0) + by;
  }

  #changed(pupilId: string): void {
    // Later pupils would fall beyond the audit event's list anyway: not kept, so memory stays bounded.
    if (this.changedPupils.size < this.#changedCap) {
      this.changedPupils.add(pupilId);
    }
  }

  /** Creates or updates a batch of checked pupils (no key twice in a batch). */
  async writePupils(records: PupilRecord[]): Promise<void> {
    if (records.length === 0) {
      return;
    }
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
      this.#changed(id);
    }
    const enrolments = records.flatMap((record) =>
      (record.classes ?? []).map((className) => ({
        pupilId: outcome.idsByRow.get(record.row) ?? '',
        className,
      })),
    );
    this.#add(
      'class_memberships_added',
      await enrolInClasses(this.#trx, this.#schoolId, enrolments, this.#classes),
    );
  }

  /** Writes a batch of checked results whose pupils exist. */
  async writeResults(records: ResultRecord[]): Promise<void> {
    if (records.length === 0) {
      return;
    }
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
        this.#changed(record.pupilId);
      }
    }
    // Each pupil and class pair once per batch, however many results repeat it; a pair a later batch
    // repeats is already a member, which the database skips and does not count again.
    const enrolments = new Map<string, { pupilId: string; className: string; subjectId: string }>();
    for (const record of resolved) {
      const pair = `${record.className ?? ''}|${record.pupilId}`;
      if (record.className !== undefined && !enrolments.has(pair)) {
        enrolments.set(pair, {
          pupilId: record.pupilId,
          className: record.className,
          subjectId: record.subjectId,
        });
      }
    }
    this.#add(
      'class_memberships_added',
      await enrolInClasses(this.#trx, this.#schoolId, [...enrolments.values()], this.#classes),
    );
  }
}
