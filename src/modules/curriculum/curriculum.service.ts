import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { gradeSetByCode, normaliseSubjectName, subjectByCode, subjectByName } from './catalogue.ts';
import * as curriculum from './curriculum.repository.ts';
import * as pupilCurriculum from './pupil-curriculum.repository.ts';
import { can, type Actor } from '../organisations/roles.policy.ts';

/**
 * Turns a school's subject names into catalogue codes: the mapping given with this import first, then
 * the school's saved names, then the catalogue's names and aliases. Anything else is unknown, never guessed.
 */
export async function subjectResolver(
  trx: Transaction<DB>,
  schoolId: string,
  explicit: Readonly<Record<string, string>>,
): Promise<(name: string) => string | undefined> {
  const saved = await curriculum.subjectAliases(trx, schoolId);
  const given = new Map(Object.entries(explicit).map(([name, code]) => [normaliseSubjectName(name), code]));
  // A file repeats a handful of subject names thousands of times: resolve each once.
  const resolved = new Map<string, string | undefined>();
  return (name) => {
    if (!resolved.has(name)) {
      const normalised = normaliseSubjectName(name);
      resolved.set(name, given.get(normalised) ?? saved.get(normalised) ?? subjectByName(name)?.code);
    }
    return resolved.get(name);
  };
}

/** Remembers the school's own subject names from an import's mapping, for its next files. */
export async function saveSubjectNames(
  trx: Transaction<DB>,
  schoolId: string,
  explicit: Readonly<Record<string, string>>,
): Promise<void> {
  await curriculum.saveSubjectAliases(
    trx,
    schoolId,
    Object.entries(explicit).map(([name, subjectCode]) => ({
      alias: normaliseSubjectName(name),
      subjectCode,
    })),
  );
}

/** Whether a catalogue subject code exists (for checking a mapping before it is used). */
export function isSubjectCode(code: string): boolean {
  return subjectByCode(code) !== undefined;
}

/** The school's subject ids for these catalogue codes, creating subjects (and grade sets) that are missing. */
export async function ensureSubjects(
  trx: Transaction<DB>,
  schoolId: string,
  codes: Iterable<string>,
): Promise<Map<string, string>> {
  const ids = await curriculum.subjectIds(trx, schoolId);
  const gradeSets = await curriculum.gradeSetIds(trx, schoolId);
  for (const code of codes) {
    if (ids.has(code)) {
      continue;
    }
    const subject = subjectByCode(code);
    const set = subject === undefined ? undefined : gradeSetByCode(subject.gradeSet);
    if (subject === undefined || set === undefined) {
      throw new Error(`subject ${code} is not in the catalogue`);
    }
    let gradeSetId = gradeSets.get(set.code);
    if (gradeSetId === undefined) {
      gradeSetId = await curriculum.insertGradeSet(trx, schoolId, set);
      gradeSets.set(set.code, gradeSetId);
    }
    ids.set(
      code,
      await curriculum.insertSubject(trx, {
        school_id: schoolId,
        code,
        name: subject.name,
        pillar: subject.pillar,
        qualification: subject.qualification,
        grade_set_id: gradeSetId,
      }),
    );
  }
  return ids;
}

/** The school's assessment point ids by name; new points go after the existing ones, in file order. */
export async function ensureAssessmentPoints(
  trx: Transaction<DB>,
  schoolId: string,
  names: Iterable<string>,
): Promise<Map<string, string>> {
  const existing = await curriculum.assessmentPoints(trx, schoolId);
  const ids = new Map(existing.map((point) => [point.name, point.id]));
  let rank = existing.reduce((highest, point) => Math.max(highest, point.rank), 0);
  for (const name of names) {
    if (!ids.has(name)) {
      rank += 1;
      ids.set(name, await curriculum.insertAssessmentPoint(trx, schoolId, { name, rank }));
    }
  }
  return ids;
}

/**
 * The memberships for these enrolments, ready to write: the classes are found by name, and created
 * when missing. `known` remembers class ids by name across calls (an import's batches name the same
 * classes again and again).
 */
export async function prepareEnrolments(
  trx: Transaction<DB>,
  schoolId: string,
  enrolments: ReadonlyArray<{ pupilId: string; className: string; subjectId?: string | undefined }>,
  known: Map<string, string> = new Map(),
): Promise<curriculum.MemberColumns> {
  const classes = new Map<string, string | undefined>();
  for (const enrolment of enrolments) {
    if (known.has(enrolment.className)) {
      continue;
    }
    if (!classes.has(enrolment.className) || classes.get(enrolment.className) === undefined) {
      classes.set(enrolment.className, enrolment.subjectId);
    }
  }
  if (classes.size > 0) {
    const created = await curriculum.ensureClasses(
      trx,
      schoolId,
      [...classes].map(([name, subjectId]) => ({ name, subjectId })),
    );
    for (const [name, id] of created) {
      known.set(name, id);
    }
  }
  return curriculum.memberColumns(
    enrolments.map((enrolment) => ({
      class_id: known.get(enrolment.className) ?? '',
      pupil_id: enrolment.pupilId,
    })),
  );
}

/** Writes prepared memberships; returns how many are new. */
export async function addMembers(
  trx: Transaction<DB>,
  schoolId: string,
  members: curriculum.MemberColumns,
): Promise<number> {
  return curriculum.addClassMembers(trx, schoolId, members);
}

/** Puts pupils into classes by name (creating the classes); returns new memberships. */
export async function enrolInClasses(
  trx: Transaction<DB>,
  schoolId: string,
  enrolments: ReadonlyArray<{ pupilId: string; className: string; subjectId?: string | undefined }>,
  known: Map<string, string> = new Map(),
): Promise<number> {
  return addMembers(trx, schoolId, await prepareEnrolments(trx, schoolId, enrolments, known));
}

/** Results whose pupils, subjects and points are resolved, ready to write in one statement. */
export function resultRows(values: curriculum.ResultValues): curriculum.ResultColumns {
  return curriculum.resultColumns(values);
}

/** Writes results prepared by `resultRows`; returns rows changed. */
export async function writeResults(
  trx: Transaction<DB>,
  schoolId: string,
  importId: string,
  rows: curriculum.ResultColumns,
): Promise<number> {
  return curriculum.upsertResults(trx, schoolId, importId, rows);
}

/**
 * Which pupils of the school the signed-in person may see: everyone with pupils.read there; only their
 * own classes' pupils with pupils.read_own_classes (a teacher); nobody otherwise.
 */
export async function visiblePupils(
  trx: Transaction<DB>,
  actor: Actor,
  userId: string,
  schoolId: string,
): Promise<'all' | string[]> {
  const school = { id: schoolId, kind: 'school' as const };
  if (can(actor, 'pupils.read', school)) {
    return 'all';
  }
  return can(actor, 'pupils.read_own_classes', school)
    ? curriculum.pupilsTaughtBy(trx, schoolId, userId)
    : [];
}

export type { PupilClassRow, PupilResultRow } from './pupil-curriculum.repository.ts';

/** One pupil's grades at every assessment point and facet (for their record and flight path). */
export async function pupilResults(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
): Promise<pupilCurriculum.PupilResultRow[]> {
  return pupilCurriculum.pupilResults(trx, schoolId, pupilId);
}

/** The classes these pupils are in, with each class's subject. */
export async function classesOfPupils(
  trx: Transaction<DB>,
  schoolId: string,
  pupilIds: readonly string[],
): Promise<pupilCurriculum.PupilClassRow[]> {
  return pupilCurriculum.classesOfPupils(trx, schoolId, pupilIds);
}

/** The pupils in one class, or undefined when the school has no such class. */
export async function classMemberIds(
  trx: Transaction<DB>,
  schoolId: string,
  classId: string,
): Promise<string[] | undefined> {
  return pupilCurriculum.classMemberIds(trx, schoolId, classId);
}
