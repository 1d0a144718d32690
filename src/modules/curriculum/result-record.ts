import type { PupilKey } from '../pupils/pupil-record.ts';
import type { Facet } from './curriculum.tables.ts';

/** A result as a file gives it, with the subject resolved and the grade checked against its grade set. */
export interface ResultRecord {
  row: number;
  key: PupilKey;
  /** Catalogue subject code (already resolved from the school's name for it). */
  subject: string;
  assessmentPoint: string;
  facet: Facet;
  /** The grade as its grade set spells it, with its points. */
  grade: string;
  points: number;
  className?: string;
}
