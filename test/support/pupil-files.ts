import { withCheckLetter } from '../../src/modules/pupils/upn.ts';

/** A valid synthetic UPN: LA 801, establishment 2000, year 12, serial n. */
export function syntheticUpn(n: number): string {
  return withCheckLetter(`801200012${String(n).padStart(3, '0')}`);
}

export const PUPIL_HEADER =
  'upn,forename,surname,dob,sex,year_group,ethnicity,fsm,sen,class,ks2_reading_score,ks2_maths_score';

/** A pupils-template row for synthetic pupil n (names are obviously synthetic). */
export function pupilRow(n: number, overrides: Partial<Record<string, string>> = {}): string {
  const values: Record<string, string> = {
    upn: syntheticUpn(n),
    forename: `Zqforename${n}`,
    surname: `Xvsurname${n}`,
    dob: `2010-0${(n % 9) + 1}-1${n % 10}`,
    sex: n % 2 === 0 ? 'F' : 'M',
    year_group: '11',
    ethnicity: 'WBRI',
    fsm: n % 3 === 0 ? 'Y' : 'N',
    sen: 'N',
    class: `11${'AB'[n % 2]}`,
    ks2_reading_score: String(95 + (n % 20)),
    ks2_maths_score: String(90 + (n % 25)),
    ...overrides,
  };
  return PUPIL_HEADER.split(',')
    .map((column) => values[column] ?? '')
    .join(',');
}

export function pupilsCsv(count: number, start = 1): string {
  return (
    [PUPIL_HEADER, ...Array.from({ length: count }, (_, index) => pupilRow(start + index))].join('\n') + '\n'
  );
}
