import { withCheckLetter } from '../pupils/upn.ts';

// Synthetic schools for the demo, tests and benchmarks: plausible but invented pupils, with rates near
// national figures and grades that follow prior attainment. Seeded, so the same seed gives the same files.

/** mulberry32: a small, fast, seeded generator (not for secrets). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FORENAMES = [
  'Amara',
  'Ben',
  'Caleb',
  'Daisy',
  'Elif',
  'Finn',
  'Grace',
  'Hamza',
  'Isla',
  'Jayden',
  'Kacper',
  'Layla',
  'Mason',
  'Nia',
  'Oscar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tilly',
  'Umar',
  'Violet',
  'Wiktor',
  'Yusuf',
  'Zara',
] as const;
const SURNAMES = [
  'Ashdown',
  'Brightwell',
  'Copperfield',
  'Dunmore',
  'Elsworth',
  'Fairbairn',
  'Greystone',
  'Hollins',
  'Ivesby',
  'Kettering',
  'Larkholme',
  'Millbrook',
  'Northcott',
  'Oakridge',
  'Pennington',
  'Quarrie',
  'Redfern',
  'Stanway',
  'Thornbury',
  'Underhill',
  'Westerby',
  'Yardley',
] as const;
const ETHNICITIES: Array<[string, number]> = [
  ['WBRI', 0.65],
  ['WOTH', 0.07],
  ['AIND', 0.03],
  ['APKN', 0.04],
  ['ABAN', 0.02],
  ['AOTH', 0.02],
  ['BAFR', 0.04],
  ['BCRB', 0.01],
  ['MWBC', 0.02],
  ['MOTH', 0.03],
  ['CHNE', 0.01],
  ['OOTH', 0.02],
  ['REFU', 0.02],
  ['NOBT', 0.02],
];
const OPTIONS = [
  'Art & Design',
  'Music',
  'PE',
  'Religious Studies',
  'Business',
  'Computer Science',
  'Design & Technology',
  'Drama',
  'Food Preparation & Nutrition',
  'Media Studies',
] as const;
export const ASSESSMENT_POINTS = [
  'Y10 Autumn',
  'Y10 Summer',
  'Y11 Autumn',
  'Y11 Mock',
  'Y11 Summer',
] as const;

export const PUPILS_HEADER = [
  'upn',
  'forename',
  'surname',
  'dob',
  'sex',
  'year_group',
  'ethnicity',
  'fsm',
  'fsm6',
  'disadvantaged',
  'pupil_premium',
  'sen',
  'eal',
  'gifted',
  'looked_after',
  'class',
  'ks2_reading_score',
  'ks2_maths_score',
  'ks2_reading_ta',
  'ks2_maths_ta',
];
export const RESULTS_HEADER = ['upn', 'subject', 'assessment_point', 'facet', 'grade', 'class'];

export interface SyntheticSchool {
  name: string;
  pupils: string[][];
  results: string[][];
}

function normal(random: () => number): number {
  // Box–Muller
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function pick<T>(random: () => number, items: readonly [T, ...T[]]): T {
  return items[Math.floor(random() * items.length)] ?? items[0];
}

/** A plausible KS2 teacher assessment for a scaled score. */
function teacherAssessment(score: string): string {
  return score === 'N' ? 'WTS' : Number(score) >= 110 ? 'GDS' : Number(score) >= 100 ? 'EXS' : 'WTS';
}

function weighted(random: () => number, entries: Array<[string, number]>): string {
  let roll = random();
  for (const [value, weight] of entries) {
    roll -= weight;
    if (roll < 0) {
      return value;
    }
  }
  return entries[0]?.[0] ?? '';
}

const yn = (value: boolean): string => (value ? 'Y' : 'N');

function grade(base: number, random: () => number, spread: number): number {
  return Math.max(0, Math.min(9, Math.round(base + normal(random) * spread)));
}

/** One synthetic pupil's row of the pupils file and their rows of the results file. */
export interface SyntheticPupil {
  pupil: string[];
  results: string[][];
}

/** One Year 11 cohort: pupils with KS2 and characteristics, and their results across the year. */
export function syntheticSchool(
  index: number,
  pupilCount: number,
  seed: number,
  points: readonly string[] = ASSESSMENT_POINTS,
): SyntheticSchool {
  const cohort = syntheticCohort(index, pupilCount, seed, points);
  const pupils: string[][] = [];
  const results: string[][] = [];
  for (const entry of cohort.pupils) {
    pupils.push(entry.pupil);
    results.push(...entry.results);
  }
  return { name: cohort.name, pupils, results };
}

/**
 * The same cohort as `syntheticSchool` (same seed, same rows), one pupil at a time: for writing files
 * far bigger than is sensible to hold in memory (benchmarks of 100,000 pupils).
 */
export function syntheticCohort(
  index: number,
  pupilCount: number,
  seed: number,
  points: readonly string[] = ASSESSMENT_POINTS,
): { name: string; pupils: Generator<SyntheticPupil> } {
  const random = seededRandom(seed * 7919 + index);
  const name = `${pick(random, SURNAMES)} ${pick(random, ['Academy', 'High School', 'School', 'College'])} ${index + 1}`;
  return { name, pupils: cohortPupils(random, index, pupilCount, points) };
}

function* cohortPupils(
  random: () => number,
  index: number,
  pupilCount: number,
  points: readonly string[],
): Generator<SyntheticPupil> {
  for (let n = 0; n < pupilCount; n += 1) {
    const results: string[][] = [];
    // LA code, establishment number, allocation year and serial: unique per school for up to 100,000 pupils.
    const upn = withCheckLetter(
      `${800 + (index % 199)}${4000 + (index % 6000)}${String(Math.floor(n / 1000) % 100).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`,
    );
    const fsm = random() < 0.24;
    const fsm6 = fsm || random() < 0.05;
    const lookedAfter = random() < 0.006;
    const senRoll = random();
    const sen = senRoll < 0.025 ? 'E' : senRoll < 0.155 ? 'K' : 'N';
    const ks2Ability = normal(random) * 6.5 + 104 - (fsm ? 3 : 0) - (sen === 'E' ? 8 : sen === 'K' ? 4 : 0);
    const noScore = random() < 0.02;
    const reading = noScore
      ? 'N'
      : String(Math.max(80, Math.min(120, Math.round(ks2Ability + normal(random) * 3))));
    const maths = String(Math.max(80, Math.min(120, Math.round(ks2Ability + normal(random) * 3))));
    const form = `11${'ABCDEFGH'[n % 8]}`;
    const month = 1 + Math.floor(random() * 12);
    const year = month >= 9 ? 2009 : 2010;
    const day = 1 + Math.floor(random() * 28);
    const pupil = [
      upn,
      pick(random, FORENAMES),
      pick(random, SURNAMES),
      `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      random() < 0.5 ? 'F' : 'M',
      '11',
      weighted(random, ETHNICITIES),
      yn(fsm),
      yn(fsm6),
      yn(fsm6 || lookedAfter),
      yn(fsm6 || lookedAfter),
      sen,
      yn(random() < 0.17),
      yn(ks2Ability > 114 && random() < 0.5),
      yn(lookedAfter),
      form,
      reading,
      maths,
      teacherAssessment(reading),
      teacherAssessment(maths),
    ];
    // Calibrated so the cohort's Progress 8 lands near 0 against the 2024 estimates, as a typical school's does.
    const base = (ks2Ability - 100) / 3.2 + 3.5;
    const triple = ks2Ability > 108 && random() < 0.5;
    const subjects = [
      'English Language',
      'English Literature',
      'Maths',
      ...(triple ? ['Biology', 'Chemistry', 'Physics'] : ['Combined Science']),
      ...(random() < 0.8 ? [pick(random, ['History', 'Geography'])] : []),
      ...(random() < 0.45 ? [pick(random, ['French', 'Spanish', 'German'])] : []),
    ];
    while (subjects.length < 9) {
      const option = pick(random, OPTIONS);
      if (!subjects.includes(option)) {
        subjects.push(option);
      }
    }
    for (const subject of subjects) {
      const aptitude = base + normal(random) * 0.8;
      const teachingGroup = `11${subject.slice(0, 2)}${1 + (n % 4)}`;
      const spell = (value: number) =>
        subject === 'Combined Science'
          ? value === 0
            ? 'U'
            : `${Math.max(value, 1)}-${Math.max(1, value - (random() < 0.5 ? 1 : 0))}`
          : value === 0
            ? 'U'
            : String(value);
      points.forEach((point, step) => {
        // Grades rise towards the last point (results day).
        const progress = (step - (points.length - 1)) * (1.4 / Math.max(1, points.length - 1));
        results.push([
          upn,
          subject,
          point,
          'achieved',
          spell(grade(aptitude + progress, random, 0.7)),
          teachingGroup,
        ]);
      });
      results.push([
        upn,
        subject,
        'Y11 Autumn',
        'target',
        spell(Math.max(1, Math.min(9, Math.round(aptitude + 0.6)))),
        teachingGroup,
      ]);
      results.push([
        upn,
        subject,
        'Y11 Mock',
        'prediction',
        spell(grade(aptitude, random, 0.5)),
        teachingGroup,
      ]);
    }
    yield { pupil, results };
  }
}

/** A CSV line, quoting where needed. */
export function csvLine(cells: readonly string[]): string {
  return cells.map((cell) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',');
}
