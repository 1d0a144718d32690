import type { SubjectGrade } from './attainment8.ts';

// Basics and the English Baccalaureate (shared/reference/README.md § 1).

/** A missing pillar (no grade: −∞ from bestOf) scores 0. */
const part = (value: number): number => (Number.isFinite(value) ? value : 0);

const bestOf = (grades: readonly SubjectGrade[]): number =>
  grades.reduce((best, grade) => Math.max(best, grade.points), Number.NEGATIVE_INFINITY);

function pillar(grades: readonly SubjectGrade[], ...pillars: string[]): SubjectGrade[] {
  return grades.filter((grade) => pillars.includes(grade.pillar));
}

/** Grade 4+ (standard) and 5+ (strong) in both English (language or literature) and maths. */
export function basics(grades: readonly SubjectGrade[]): { standard: boolean; strong: boolean } {
  const english = bestOf(pillar(grades, 'english_language', 'english_literature'));
  const maths = bestOf(pillar(grades, 'maths'));
  return { standard: english >= 4 && maths >= 4, strong: english >= 5 && maths >= 5 };
}

/** The two best science slots: combined science fills both at its mean; otherwise the best two sciences. */
function scienceSlots(grades: readonly SubjectGrade[]): number[] {
  const slots = [
    ...pillar(grades, 'combined_science').flatMap((grade) => [grade.points, grade.points]),
    ...pillar(grades, 'science', 'computer_science').map((grade) => grade.points),
  ].sort((a, b) => b - a);
  return slots.slice(0, 2);
}

/**
 * EBacc entry: English language and literature, maths, two sciences, a humanity (history or
 * geography) and a language.
 */
export function ebaccEntered(grades: readonly SubjectGrade[]): boolean {
  return (
    pillar(grades, 'english_language').length > 0 &&
    pillar(grades, 'english_literature').length > 0 &&
    pillar(grades, 'maths').length > 0 &&
    scienceSlots(grades).length === 2 &&
    pillar(grades, 'history', 'geography').length > 0 &&
    pillar(grades, 'language').length > 0
  );
}

/**
 * EBacc average point score: (best English — counted only when both were taken — + maths + the best
 * two science slots + the better humanity + the best language) ÷ 6, a missing pillar scoring 0.
 */
export function ebaccAps(grades: readonly SubjectGrade[]): number {
  const bothEnglish =
    pillar(grades, 'english_language').length > 0 && pillar(grades, 'english_literature').length > 0;
  const english = bothEnglish ? part(bestOf(pillar(grades, 'english_language', 'english_literature'))) : 0;
  const maths = part(bestOf(pillar(grades, 'maths')));
  const sciences = scienceSlots(grades).reduce((sum, points) => sum + points, 0);
  const humanity = part(bestOf(pillar(grades, 'history', 'geography')));
  const language = part(bestOf(pillar(grades, 'language')));
  return Math.round(((english + maths + sciences + humanity + language) / 6) * 1000) / 1000;
}
