import type { Generated } from 'kysely';
import type { Pillar } from './catalogue.ts';

export type Facet = 'achieved' | 'target' | 'prediction' | 'baseline';

export interface GradeSetsTable {
  school_id: string;
  id: Generated<string>;
  code: string;
  name: string;
}

export interface GradesTable {
  school_id: string;
  grade_set_id: string;
  code: string;
  points: number;
  /** Order within the set, best first. */
  rank: number;
}

export interface SubjectsTable {
  school_id: string;
  id: Generated<string>;
  code: string;
  name: string;
  pillar: Pillar;
  qualification: string;
  grade_set_id: string;
  created_at: Generated<Date>;
}

export interface SubjectAliasesTable {
  school_id: string;
  /** The school's name for a subject, normalised. */
  alias: string;
  subject_code: string;
}

export interface AssessmentPointsTable {
  school_id: string;
  id: Generated<string>;
  name: string;
  /** Stable order of assessment points (earlier first). */
  rank: number;
  date: string | null;
}

export interface ClassesTable {
  school_id: string;
  id: Generated<string>;
  name: string;
  subject_id: string | null;
  year_group: number | null;
}

export interface ClassMembersTable {
  school_id: string;
  class_id: string;
  pupil_id: string;
}

export interface ClassTeachersTable {
  school_id: string;
  class_id: string;
  user_id: string;
}

export interface ResultsTable {
  school_id: string;
  pupil_id: string;
  subject_id: string;
  assessment_point_id: string;
  facet: Facet;
  grade: string;
  points: number;
  import_id: string | null;
  updated_at: Generated<Date>;
}

export interface CurriculumTables {
  grade_sets: GradeSetsTable;
  grades: GradesTable;
  subjects: SubjectsTable;
  subject_aliases: SubjectAliasesTable;
  assessment_points: AssessmentPointsTable;
  classes: ClassesTable;
  class_members: ClassMembersTable;
  class_teachers: ClassTeachersTable;
  results: ResultsTable;
}
