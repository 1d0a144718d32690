import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static, type TSchema } from 'typebox';
import { Check } from 'typebox/value';

// The subject catalogue and grade sets shipped as data (see catalogue/README.md for provenance).

export const PILLARS = [
  'english_language',
  'english_literature',
  'maths',
  'science',
  'combined_science',
  'computer_science',
  'history',
  'geography',
  'language',
  'other',
] as const;
export type Pillar = (typeof PILLARS)[number];

const SubjectSchema = Type.Object({
  code: Type.String({ pattern: '^[a-z_]+$' }),
  name: Type.String(),
  pillar: Type.Union(PILLARS.map((pillar) => Type.Literal(pillar))),
  qualification: Type.String(),
  gradeSet: Type.String(),
  aliases: Type.Array(Type.String()),
});
const GradeSetSchema = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9_]+$' }),
  name: Type.String(),
  grades: Type.Array(Type.Object({ code: Type.String(), points: Type.Number() })),
});
export type CatalogueSubject = Static<typeof SubjectSchema>;
export type CatalogueGradeSet = Static<typeof GradeSetSchema>;

const DIR = path.join(import.meta.dirname, 'catalogue');

/** Reads a shipped data file, refusing to start on one that does not match its schema. */
function readData<S extends TSchema>(file: string, schema: S): Static<S> {
  const data: unknown = JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));
  if (!Check(schema, data)) {
    throw new Error(`${file} does not match its schema`);
  }
  return data;
}

export const SUBJECTS: readonly CatalogueSubject[] = readData(
  'subjects.json',
  Type.Object({ subjects: Type.Array(SubjectSchema) }),
).subjects;
export const GRADE_SETS: readonly CatalogueGradeSet[] = readData(
  'grade-sets.json',
  Type.Object({ gradeSets: Type.Array(GradeSetSchema) }),
).gradeSets;

/** A subject name as compared: case, spacing, "&"/"and" and punctuation do not matter. */
export function normaliseSubjectName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const BY_NAME = new Map<string, CatalogueSubject>();
for (const subject of SUBJECTS) {
  for (const name of [subject.code, subject.name, ...subject.aliases]) {
    BY_NAME.set(normaliseSubjectName(name), subject);
  }
}
const BY_CODE = new Map(SUBJECTS.map((subject) => [subject.code, subject]));
const GRADE_SET_BY_CODE = new Map(GRADE_SETS.map((set) => [set.code, set]));

/** The catalogue subject a school's name stands for, or undefined (never a guess). */
export function subjectByName(name: string): CatalogueSubject | undefined {
  return BY_NAME.get(normaliseSubjectName(name));
}

export function subjectByCode(code: string): CatalogueSubject | undefined {
  return BY_CODE.get(code);
}

export function gradeSetByCode(code: string): CatalogueGradeSet | undefined {
  return GRADE_SET_BY_CODE.get(code);
}

/** The grade as the grade set spells it ("u" → "U", "6 - 5" → "6-5"), or undefined when not in the set. */
export function gradeInSet(
  set: CatalogueGradeSet,
  grade: string,
): { code: string; points: number } | undefined {
  const wanted = grade.trim().toUpperCase().replace(/\s+/g, '');
  return set.grades.find((entry) => entry.code === wanted);
}
