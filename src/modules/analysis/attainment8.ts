import type { Pillar } from '../curriculum/catalogue.ts';

// Attainment 8 slotting by the DfE rules (shared/reference/README.md § 1), with the reason for every
// slot so a leader can answer "why is this pupil's A8 61?".

export interface SubjectGrade {
  subject: string;
  subjectName: string;
  pillar: Pillar;
  grade: string;
  points: number;
}

export type Element = 'english' | 'maths' | 'ebacc' | 'open';

export interface Slot {
  element: Element;
  /** 1-based position within the element (English 1–2, maths 1–2, EBacc 1–3, open 1–3). */
  position: number;
  /** Empty slots score 0 and carry no subject. */
  subject?: string;
  subjectName?: string;
  grade?: string;
  points: number;
  why: string;
}

export interface Attainment8 {
  total: number;
  elements: Record<Element, number>;
  slots: Slot[];
  /** Subjects taken that no slot used. */
  unused: Array<{ subject: string; grade: string; points: number }>;
  /** EBacc slots filled (0–3) and open slots filled (0–3), as the DfE reports them. */
  ebaccSlotsFilled: number;
  openSlotsFilled: number;
}

const EBACC_PILLARS: ReadonlySet<Pillar> = new Set([
  'science',
  'combined_science',
  'computer_science',
  'history',
  'geography',
  'language',
]);

interface Candidate {
  grade: SubjectGrade;
  /** Combined science is a double award: two candidates, one per slot it can fill. */
  part?: 1 | 2;
  /** The subject code's place in localeCompare order (see placeOf). */
  place: number;
}

// Each subject code's place in localeCompare order, worked out once per code: calling localeCompare in
// every comparison was most of the cost of slotting a cohort of 100,000 pupils. Codes that compare
// equal share a place, so every comparison has the sign localeCompare gives.
const collation = new Map<string, number>();

function placeOf(code: string): number {
  const known = collation.get(code);
  if (known !== undefined) {
    return known;
  }
  const codes = [...collation.keys(), code].sort((a, b) => a.localeCompare(b));
  collation.clear();
  let place = 0;
  codes.forEach((entry, index) => {
    if (index > 0 && (codes[index - 1] ?? '').localeCompare(entry) !== 0) {
      place += 1;
    }
    collation.set(entry, place);
  });
  return collation.get(code) ?? 0;
}

/** Higher points first; ties by subject code, so the result is the same every time. */
const best = (a: Candidate, b: Candidate) => b.grade.points - a.grade.points || a.place - b.place;

/** The first of the best (what a stable sort would put first). */
function bestOf(candidates: readonly Candidate[]): Candidate | undefined {
  let top: Candidate | undefined;
  for (const candidate of candidates) {
    if (top === undefined || best(candidate, top) < 0) {
      top = candidate;
    }
  }
  return top;
}

/** A pupil's grades by the part of Attainment 8 they can fill, each list in the grades' order. */
interface Sorted {
  english: Candidate[];
  maths: Candidate[];
  /** Combined science twice (parts 1 and 2), where it was taken. */
  ebacc: Candidate[];
  others: Candidate[];
}

function sortOut(grades: readonly SubjectGrade[]): Sorted {
  const language: Candidate[] = [];
  const literature: Candidate[] = [];
  const sorted: Sorted = { english: [], maths: [], ebacc: [], others: [] };
  for (const grade of grades) {
    const place = placeOf(grade.subject);
    if (grade.pillar === 'english_language') {
      language.push({ grade, place });
    } else if (grade.pillar === 'english_literature') {
      literature.push({ grade, place });
    } else if (grade.pillar === 'maths') {
      sorted.maths.push({ grade, place });
    } else if (grade.pillar === 'combined_science') {
      sorted.ebacc.push({ grade, part: 1, place }, { grade, part: 2, place });
    } else if (EBACC_PILLARS.has(grade.pillar)) {
      sorted.ebacc.push({ grade, place });
    } else {
      sorted.others.push({ grade, place });
    }
  }
  sorted.english = [...language, ...literature];
  return sorted;
}

/** Points are whole or half grades: two decimals keep binary noise out of totals. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function filled(element: Element, position: number, candidate: Candidate, why: string): Slot {
  return {
    element,
    position,
    subject: candidate.grade.subject,
    subjectName: candidate.grade.subjectName,
    grade: candidate.grade.grade,
    points: candidate.grade.points,
    why,
  };
}

function empty(element: Element, position: number, why: string): Slot {
  return { element, position, points: 0, why };
}

/**
 * Slots a pupil's grades (one per subject, for one assessment point and facet) into the ten
 * Attainment 8 slots. Ties are broken by subject code so the result is the same every time.
 */
export function attainment8(grades: readonly SubjectGrade[]): Attainment8 {
  const sorted = sortOut(grades);
  const slots: Slot[] = [];
  const used = new Set<string>();
  const leftovers: Candidate[] = [];

  // English: the better of language and literature, counted twice only when both were taken.
  const english = sorted.english.sort(best);
  const [topEnglish, spareEnglish] = english;
  if (topEnglish === undefined) {
    slots.push(
      empty('english', 1, 'no English language or literature grade'),
      empty('english', 2, 'no English grade'),
    );
  } else if (spareEnglish === undefined) {
    slots.push(
      filled('english', 1, topEnglish, 'the only English taken'),
      empty('english', 2, 'English counts twice only when both language and literature were taken'),
    );
    used.add(topEnglish.grade.subject);
  } else {
    slots.push(
      filled('english', 1, topEnglish, 'the better English grade'),
      filled('english', 2, topEnglish, 'counted twice: both English language and literature were taken'),
    );
    used.add(topEnglish.grade.subject);
    leftovers.push(spareEnglish);
  }

  // Maths always counts twice.
  const maths = bestOf(sorted.maths);
  if (maths === undefined) {
    slots.push(empty('maths', 1, 'no maths grade'), empty('maths', 2, 'no maths grade'));
  } else {
    slots.push(filled('maths', 1, maths, 'maths'), filled('maths', 2, maths, 'maths always counts twice'));
    used.add(maths.grade.subject);
  }

  // EBacc: the best three of sciences (combined science as two slots), computer science, history,
  // geography and languages.
  const ebaccCandidates = sorted.ebacc.sort(best);
  const ebacc = ebaccCandidates.slice(0, 3);
  ebacc.forEach((candidate, index) => {
    slots.push(
      filled(
        'ebacc',
        index + 1,
        candidate,
        candidate.part === undefined
          ? 'one of the best three EBacc subjects'
          : `combined science, slot ${candidate.part} of its two (the mean of its grades)`,
      ),
    );
  });
  for (let position = ebacc.length + 1; position <= 3; position += 1) {
    slots.push(empty('ebacc', position, 'no further EBacc subject'));
  }
  // The rest of the EBacc candidates, best first (a pupil has one grade per subject).
  leftovers.push(...ebaccCandidates.slice(3));
  for (const candidate of ebacc) {
    used.add(candidate.grade.subject);
  }

  // Open: the best three of everything left, including spare EBacc subjects and the spare English.
  const spareMaths = sorted.maths.filter((candidate) => candidate.grade.subject !== maths?.grade.subject);
  const open = [...leftovers, ...sorted.others, ...spareMaths].sort(best).slice(0, 3);
  open.forEach((candidate, index) => {
    const why =
      candidate.grade.pillar === 'english_language' || candidate.grade.pillar === 'english_literature'
        ? 'the other English, which can count in the open element'
        : EBACC_PILLARS.has(candidate.grade.pillar)
          ? 'an EBacc subject not needed in the EBacc slots'
          : 'one of the best three other subjects';
    slots.push(filled('open', index + 1, candidate, why));
  });
  for (let position = open.length + 1; position <= 3; position += 1) {
    slots.push(empty('open', position, 'no further subject'));
  }
  for (const candidate of open) {
    used.add(candidate.grade.subject);
  }

  const elements: Record<Element, number> = { english: 0, maths: 0, ebacc: 0, open: 0 };
  for (const slot of slots) {
    elements[slot.element] += slot.points;
  }
  return {
    total: round(elements.english + elements.maths + elements.ebacc + elements.open),
    elements: {
      english: round(elements.english),
      maths: round(elements.maths),
      ebacc: round(elements.ebacc),
      open: round(elements.open),
    },
    slots,
    unused: grades
      .filter((grade) => !used.has(grade.subject))
      .map(({ subject, grade, points }) => ({ subject, grade, points })),
    ebaccSlotsFilled: ebacc.length,
    openSlotsFilled: open.length,
  };
}

/** Attainment 8's total and element scores, without the slots that explain them. */
export interface Attainment8Score {
  total: number;
  elements: Record<Element, number>;
}

// The best points seen so far in each element, kept in descending order: English 0–1, EBacc 2–4,
// open 5–7. One buffer, reused: scoring a cohort of 100,000 pupils allocates nothing per grade.
const ENGLISH = 0;
const EBACC = 2;
const OPEN = 5;
const best8 = new Float64Array(8);

/**
 * Puts `points` among the best `size` held from `start` (`held` of them so far); returns the points
 * that no longer fit (the smallest, possibly `points` itself), or NaN when nothing was pushed out.
 */
function keep(start: number, size: number, held: number, points: number): number {
  let at = start + Math.min(held, size);
  let out = Number.NaN;
  if (held >= size) {
    const last = best8[start + size - 1] ?? 0;
    if (points <= last) {
      return points;
    }
    out = last;
    at -= 1;
  }
  while (at > start && (best8[at - 1] ?? 0) < points) {
    best8[at] = best8[at - 1] ?? 0;
    at -= 1;
  }
  best8[at] = points;
  return out;
}

/** The first `count` (at most `size`) best points from `start`, added best first from 0. */
function sumOf(start: number, size: number, count: number): number {
  let sum = 0;
  for (let index = 0; index < Math.min(count, size); index += 1) {
    sum += best8[start + index] ?? 0;
  }
  return sum;
}

/**
 * The figures of `attainment8` for a whole cohort, where no one reads the slots: the same slotting,
 * kept as points only. A slot's points do not depend on which of two equal grades fills it, and each
 * element adds its slots best first from 0 as `attainment8` does, so the totals are identical to the
 * last bit (a test compares the two on random profiles).
 */
export function attainment8Score(grades: readonly SubjectGrade[]): Attainment8Score {
  let english = 0;
  let maths = Number.NEGATIVE_INFINITY;
  let mathsTaken = false;
  let ebacc = 0;
  let open = 0;
  const toOpen = (points: number): void => {
    keep(OPEN, 3, open, points);
    open += 1;
  };
  for (const grade of grades) {
    const points = grade.points;
    switch (grade.pillar) {
      case 'english_language':
      case 'english_literature':
        // Only the two best English grades matter: the better fills English, the other may go to open.
        keep(ENGLISH, 2, english, points);
        english += 1;
        break;
      case 'maths':
        // Maths counts its best grade; any other maths grade competes for open.
        if (!mathsTaken) {
          maths = points;
          mathsTaken = true;
        } else if (points > maths) {
          toOpen(maths);
          maths = points;
        } else {
          toOpen(points);
        }
        break;
      case 'combined_science':
      case 'science':
      case 'computer_science':
      case 'history':
      case 'geography':
      case 'language': {
        // Combined science is a double award: two candidates for the EBacc slots.
        for (let part = grade.pillar === 'combined_science' ? 2 : 1; part > 0; part -= 1) {
          const spare = keep(EBACC, 3, ebacc, points);
          ebacc += 1;
          if (!Number.isNaN(spare)) {
            toOpen(spare);
          }
        }
        break;
      }
      case 'other':
        toOpen(points);
        break;
    }
  }
  if (english >= 2) {
    // The spare English competes for open; the English element counts the better one twice.
    toOpen(best8[ENGLISH + 1] ?? 0);
  }
  const englishPoints =
    english === 0 ? 0 : 0 + (best8[ENGLISH] ?? 0) + (english >= 2 ? (best8[ENGLISH] ?? 0) : 0);
  const mathsPoints = mathsTaken ? 0 + maths + maths : 0;
  const ebaccPoints = sumOf(EBACC, 3, ebacc);
  const openPoints = sumOf(OPEN, 3, open);
  return {
    total: round(englishPoints + mathsPoints + ebaccPoints + openPoints),
    elements: {
      english: round(englishPoints),
      maths: round(mathsPoints),
      ebacc: round(ebaccPoints),
      open: round(openPoints),
    },
  };
}
