import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { SchoolVault } from '../../platform/crypto/vault.ts';
import {
  addMembers,
  enrolInClasses,
  ensureAssessmentPoints,
  ensureSubjects,
  prepareEnrolments,
  resultRows,
  writeResults,
} from '../curriculum/curriculum.service.ts';
import type { MemberColumns, ResultColumns } from '../curriculum/curriculum.repository.ts';
import type { ResultRecord } from '../curriculum/result-record.ts';
import type { PupilKey, PupilRecord } from '../pupils/pupil-record.ts';
import { findPupilsByKeys, keyString, writePupils } from '../pupils/pupils.service.ts';
import type { ImportOptions } from './imports.service.ts';

// The commit's writing half: parsed rows written in batches inside the import's transaction.

// Pupils a lookup remembers: several batches' worth, so a file listing each pupil's rows together
// asks the database once per pupil, while memory stays bounded whatever the number of pupils.
const REMEMBERED_PUPILS = 20_000;

/**
 * Pupil ids by key, remembered across batches: a results file names the same pupils again and again.
 * Two generations instead of a strict least-recently-used order: a key is looked up in the newer, then
 * the older (and brought into the newer); when the newer is full it becomes the older and the oldest is
 * dropped whole. Moving a key to the end of one Map on every use (delete, then set, twice a row) left
 * the Map's table full of holes and rebuilt it every few thousand rows: garbage in V8's old
 * generation, which a long file piles up until a full collection.
 */
export class PupilLookup {
  #newer = new Map<string, string>();
  #older = new Map<string, string>();
  readonly #vault: SchoolVault;

  constructor(vault: SchoolVault) {
    this.#vault = vault;
  }

  #get(text: string): string | undefined {
    const id = this.#newer.get(text);
    if (id !== undefined) {
      return id;
    }
    const old = this.#older.get(text);
    if (old !== undefined) {
      this.#remember(text, old);
    }
    return old;
  }

  #remember(text: string, id: string): void {
    if (this.#newer.size >= REMEMBERED_PUPILS) {
      this.#older = this.#newer;
      this.#newer = new Map();
    }
    this.#newer.set(text, id);
  }

  /** The ids of those of these keys that are the school's pupils, by key string (see keyString). */
  async resolve(keys: readonly PupilKey[]): Promise<ReadonlyMap<string, string>> {
    const found = new Map<string, string>();
    const missing: PupilKey[] = [];
    for (const key of keys) {
      const text = keyString(key);
      if (found.has(text)) {
        continue;
      }
      const id = this.#get(text);
      if (id === undefined) {
        missing.push(key);
      } else {
        found.set(text, id);
      }
    }
    if (missing.length > 0) {
      for (const [text, id] of await findPupilsByKeys(this.#vault, missing)) {
        this.#remember(text, id);
        found.set(text, id);
      }
    }
    return found;
  }
}

/** Writes parsed rows batch by batch inside the import's transaction, keeping the counts. */
export class BatchWriter {
  readonly written: Record<string, number> = {};
  /** The pupils the import changed, in order, up to the number an audit event names. */
  readonly changedPupils = new Set<string>();
  /** Every pupil the file named, changed or not (kept only when asked: a sync's leavers need it). */
  readonly seenPupils = new Set<string>();
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
  readonly #options: ImportOptions & { restricted: ReadonlySet<string>; trackSeen?: boolean };

  constructor(
    trx: Transaction<DB>,
    vault: SchoolVault,
    schoolId: string,
    importId: string,
    changedBy: string,
    options: ImportOptions & {
      pupils: PupilLookup;
      changedCap: number;
      /** Pupils whose processing is restricted: left as they are. */
      restricted: ReadonlySet<string>;
      /** Keep every pupil id the file names in `seenPupils`. */
      trackSeen?: boolean;
    },
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
      frozen: this.#options.restricted,
    };
    const outcome = await writePupils(context, records, { pseudonymousUpn: this.#options.pseudonymousUpn });
    this.#add('pupils_created', outcome.created.length);
    this.#add('pupils_updated', outcome.updated.length);
    this.#add('pupils_unchanged', outcome.unchanged);
    if (outcome.frozen > 0) {
      this.#add('pupils_left_restricted', outcome.frozen);
    }
    this.#add('prior_attainment_written', outcome.priorAttainmentWritten);
    for (const id of [...outcome.created, ...outcome.updated]) {
      this.#changed(id);
    }
    if (this.#options.trackSeen === true) {
      for (const id of outcome.idsByRow.values()) {
        this.seenPupils.add(id);
      }
    }
    const enrolments = records.flatMap((record) =>
      (outcome.idsByRow.has(record.row) ? (record.classes ?? []) : []).map((className) => ({
        pupilId: outcome.idsByRow.get(record.row) ?? '',
        className,
      })),
    );
    this.#add(
      'class_memberships_added',
      await enrolInClasses(this.#trx, this.#schoolId, enrolments, this.#classes),
    );
  }

  /**
   * Turns a batch of checked results whose pupils exist into the rows to write (and the class
   * memberships they imply), resolving subjects and assessment points (creating new ones). Nothing is
   * written until `writeResults`, so this can run while the previous batch is being written.
   */
  async prepareResults(records: ResultRecord[], repeats: boolean): Promise<PreparedResults> {
    const pupilIds = await this.#pupils.resolve(records.map((record) => record.key));
    const newSubjects = new Set<string>();
    const newPoints = new Set<string>();
    for (const record of records) {
      if (!this.#subjects.has(record.subject)) {
        newSubjects.add(record.subject);
      }
      if (!this.#points.has(record.assessmentPoint)) {
        newPoints.add(record.assessmentPoint);
      }
    }
    if (newSubjects.size > 0) {
      for (const [code, id] of await ensureSubjects(this.#trx, this.#schoolId, newSubjects)) {
        this.#subjects.set(code, id);
      }
    }
    if (newPoints.size > 0) {
      for (const [name, id] of await ensureAssessmentPoints(this.#trx, this.#schoolId, newPoints)) {
        this.#points.set(name, id);
      }
    }
    // A row repeated in the file (reported as a warning) must not reach one INSERT twice. Only a batch
    // holding a repeat (the checker knows) needs the map; the others' keys are all different already.
    const unique = repeats
      ? [
          ...new Map(
            records.map((record) => [
              `${keyString(record.key)}|${record.subject}|${record.assessmentPoint}|${record.facet}`,
              record,
            ]),
          ).values(),
        ]
      : records;
    // Straight into one array per column: no object per row beyond the records themselves.
    const values = {
      pupilIds: [] as string[],
      subjectIds: [] as string[],
      pointIds: [] as string[],
      facets: [] as string[],
      grades: [] as string[],
      points: [] as number[],
    };
    // Each pupil and class pair once per batch, however many results repeat it; a pair a later batch
    // repeats is already a member, which the database skips and does not count again.
    const enrolments = new Map<string, { pupilId: string; className: string; subjectId: string }>();
    const changed = new Set<string>();
    for (const record of unique) {
      const pupilId = pupilIds.get(keyString(record.key)) ?? '';
      // A restricted pupil's grades are not updated (UK GDPR Art. 18): counted, not written.
      if (this.#options.restricted.has(pupilId)) {
        continue;
      }
      const subjectId = this.#subjects.get(record.subject) ?? '';
      values.pupilIds.push(pupilId);
      values.subjectIds.push(subjectId);
      values.pointIds.push(this.#points.get(record.assessmentPoint) ?? '');
      values.facets.push(record.facet);
      values.grades.push(record.grade);
      values.points.push(record.points);
      changed.add(pupilId);
      if (record.className !== undefined) {
        const pair = `${record.className}|${pupilId}`;
        if (!enrolments.has(pair)) {
          enrolments.set(pair, { pupilId, className: record.className, subjectId });
        }
      }
    }
    if (values.pupilIds.length < unique.length) {
      this.#add('results_left_restricted', unique.length - values.pupilIds.length);
    }
    return {
      records: records.length,
      changed: [...changed],
      rows: resultRows(values),
      members: await prepareEnrolments(this.#trx, this.#schoolId, [...enrolments.values()], this.#classes),
    };
  }

  /** Writes a prepared batch of results and its class memberships. */
  async writeResults(prepared: PreparedResults): Promise<void> {
    if (prepared.records === 0) {
      return;
    }
    // Both statements are queued at once: the database goes from one to the next without waiting for
    // JavaScript in between (the transaction's connection still runs them one after the other). Both
    // are waited for, even when one fails, so no statement outlives the transaction.
    const [results, classes] = await Promise.allSettled([
      writeResults(this.#trx, this.#schoolId, this.#importId, prepared.rows),
      addMembers(this.#trx, this.#schoolId, prepared.members),
    ]);
    if (results.status === 'rejected') {
      throw results.reason;
    }
    if (classes.status === 'rejected') {
      throw classes.reason;
    }
    const written = results.value;
    this.#add('results_written', written);
    this.#add('results_unchanged', prepared.records - written);
    if (written > 0) {
      for (const pupilId of prepared.changed) {
        this.#changed(pupilId);
      }
    }
    this.#add('class_memberships_added', classes.value);
  }
}

/** A batch of results ready to write, with the class memberships it implies. */
export interface PreparedResults {
  /** Rows in the batch as read, repeats included. */
  records: number;
  /** The batch's pupils, in the order they first appear. */
  changed: string[];
  rows: ResultColumns;
  members: MemberColumns;
}
