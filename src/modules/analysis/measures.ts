import type { SubjectGrade } from './attainment8.ts';

// Basics and the English Baccalaureate (shared/reference/README.md § 1).

/** A missing pillar (no grade: −∞ as the best of nothing) scores 0. */
const part = (value: number): number => (Number.isFinite(value) ? value : 0);

/**
 * One pass over a pupil's grades: per pillar, whether one was taken and the best points, and the two
 * best science slots (combined science fills both at its mean; otherwise the best two sciences). The
 * measures below read only this, so a report over 100,000 pupils does not filter each list ten times.
 */
interface Pillars {
  language: number;
  literature: number;
  maths: number;
  humanity: number;
  foreignLanguage: number;
  /** Best and second-best science slot (−∞ when there is none). */
  science: [number, number];
  scienceSlots: number;
  taken: {
    language: boolean;
    literature: boolean;
    maths: boolean;
    humanity: boolean;
    foreignLanguage: boolean;
  };
}

function science(slots: [number, number], points: number): void {
  if (points > slots[0]) {
    slots[1] = slots[0];
    slots[0] = points;
  } else if (points > slots[1]) {
    slots[1] = points;
  }
}

function pillarsOf(grades: readonly SubjectGrade[]): Pillars {
  const none = Number.NEGATIVE_INFINITY;
  const pillars: Pillars = {
    language: none,
    literature: none,
    maths: none,
    humanity: none,
    foreignLanguage: none,
    science: [none, none],
    scienceSlots: 0,
    taken: { language: false, literature: false, maths: false, humanity: false, foreignLanguage: false },
  };
  for (const grade of grades) {
    const points = grade.points;
    switch (grade.pillar) {
      case 'english_language':
        pillars.language = Math.max(pillars.language, points);
        pillars.taken.language = true;
        break;
      case 'english_literature':
        pillars.literature = Math.max(pillars.literature, points);
        pillars.taken.literature = true;
        break;
      case 'maths':
        pillars.maths = Math.max(pillars.maths, points);
        pillars.taken.maths = true;
        break;
      case 'history':
      case 'geography':
        pillars.humanity = Math.max(pillars.humanity, points);
        pillars.taken.humanity = true;
        break;
      case 'language':
        pillars.foreignLanguage = Math.max(pillars.foreignLanguage, points);
        pillars.taken.foreignLanguage = true;
        break;
      case 'combined_science':
        science(pillars.science, points);
        science(pillars.science, points);
        pillars.scienceSlots += 2;
        break;
      case 'science':
      case 'computer_science':
        science(pillars.science, points);
        pillars.scienceSlots += 1;
        break;
      case 'other':
        break;
    }
  }
  return pillars;
}

/** Grade 4+ (standard) and 5+ (strong) in both English (language or literature) and maths. */
export function basics(grades: readonly SubjectGrade[]): { standard: boolean; strong: boolean } {
  return basicsOf(pillarsOf(grades));
}

function basicsOf(pillars: Pillars): { standard: boolean; strong: boolean } {
  const english = Math.max(pillars.language, pillars.literature);
  return { standard: english >= 4 && pillars.maths >= 4, strong: english >= 5 && pillars.maths >= 5 };
}

/**
 * EBacc entry: English language and literature, maths, two sciences, a humanity (history or
 * geography) and a language.
 */
export function ebaccEntered(grades: readonly SubjectGrade[]): boolean {
  return enteredOf(pillarsOf(grades));
}

function enteredOf({ taken, scienceSlots }: Pillars): boolean {
  return (
    taken.language &&
    taken.literature &&
    taken.maths &&
    scienceSlots >= 2 &&
    taken.humanity &&
    taken.foreignLanguage
  );
}

/**
 * EBacc average point score: (best English — counted only when both were taken — + maths + the best
 * two science slots + the better humanity + the best language) ÷ 6, a missing pillar scoring 0.
 */
export function ebaccAps(grades: readonly SubjectGrade[]): number {
  return apsOf(pillarsOf(grades));
}

function apsOf(pillars: Pillars): number {
  const bothEnglish = pillars.taken.language && pillars.taken.literature;
  const english = bothEnglish ? part(Math.max(pillars.language, pillars.literature)) : 0;
  const maths = part(pillars.maths);
  // The two best slots, added best first from 0 (as a sum over the sorted slots would).
  const [first, second] = pillars.science;
  const sciences =
    pillars.scienceSlots === 0 ? 0 : pillars.scienceSlots === 1 ? 0 + first : 0 + first + second;
  const humanity = part(pillars.humanity);
  const language = part(pillars.foreignLanguage);
  return Math.round(((english + maths + sciences + humanity + language) / 6) * 1000) / 1000;
}

/** Basics, EBacc entry and EBacc APS from one pass over a pupil's grades (a cohort report needs all). */
export function gradeMeasures(grades: readonly SubjectGrade[]): {
  basics: { standard: boolean; strong: boolean };
  ebaccEntered: boolean;
  ebaccAps: number;
} {
  const pillars = pillarsOf(grades);
  return { basics: basicsOf(pillars), ebaccEntered: enteredOf(pillars), ebaccAps: apsOf(pillars) };
}
