// Parsers for the values MIS exports contain. Each returns the canonical value or a problem in words.

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

const TRUE = new Set(['y', 'yes', 'true', '1', 't']);
const FALSE = new Set(['n', 'no', 'false', '0', 'f']);

export function parseBoolean(text: string): Parsed<boolean> {
  const value = text.trim().toLowerCase();
  if (TRUE.has(value)) {
    return ok(true);
  }
  if (FALSE.has(value)) {
    return ok(false);
  }
  return bad('must be Y or N (also Yes/No, true/false, 1/0)');
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** ISO (2012-09-01, with an optional time part) or UK dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy). */
export function parseDate(text: string): Parsed<string> {
  const value = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?$/.exec(value);
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : uk
      ? [Number(uk[3]), Number(uk[2]), Number(uk[1])]
      : [Number.NaN, Number.NaN, Number.NaN];
  if (Number.isNaN(year)) {
    return bad('must be a date as yyyy-mm-dd or dd/mm/yyyy');
  }
  if (!isRealDate(year, month, day) || year < 1900 || year > 2100) {
    return bad('is not a real date');
  }
  return ok(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

/** National curriculum year: 'Year 10', 'Y10', '10', 'R' (reception, 0), 'N1'/'N2' (nursery, -2/-1). */
export function parseYearGroup(text: string): Parsed<number> {
  const value = text
    .trim()
    .toUpperCase()
    .replace(/^(YEAR|YR|Y)\s*/, '');
  if (value === 'R' || value === 'REC' || value === 'RECEPTION') {
    return ok(0);
  }
  if (value === 'N1') {
    return ok(-2);
  }
  if (value === 'N2') {
    return ok(-1);
  }
  if (/^\d{1,2}$/.test(value) && Number(value) <= 14) {
    return ok(Number(value));
  }
  return bad('must be a year group: R, 1–14 (e.g. "Year 10" or "10"), N1 or N2');
}

export function parseSex(text: string): Parsed<'M' | 'F'> {
  const value = text.trim().toUpperCase();
  if (value === 'M' || value === 'MALE' || value === 'BOY') {
    return ok('M');
  }
  if (value === 'F' || value === 'FEMALE' || value === 'GIRL') {
    return ok('F');
  }
  return bad('must be M or F');
}

export function parseSen(text: string): Parsed<'N' | 'K' | 'E'> {
  const value = text.trim().toUpperCase();
  const known: Record<string, 'N' | 'K' | 'E'> = {
    N: 'N',
    NONE: 'N',
    K: 'K',
    'SEN SUPPORT': 'K',
    E: 'E',
    EHCP: 'E',
    'EHC PLAN': 'E',
    S: 'E',
  };
  const code = known[value];
  return code === undefined ? bad('must be N (none), K (SEN support) or E (EHC plan)') : ok(code);
}

export function parseCode<T extends string>(text: string, codes: readonly T[], describe: string): Parsed<T> {
  const value = text.trim().toUpperCase();
  const code = codes.find((candidate) => candidate === value);
  return code === undefined ? bad(`is not ${describe}`) : ok(code);
}

/** A KS2 test result: a scaled score 80–120, or an outcome code when there is no scaled score. */
export function parseKs2Test(
  text: string,
  outcomes: readonly string[],
): Parsed<{ score: number | null; outcome: string | null }> {
  const value = text.trim().toUpperCase();
  if (/^\d+$/.test(value)) {
    const score = Number(value);
    return score >= 80 && score <= 120
      ? ok({ score, outcome: null })
      : bad('must be a KS2 scaled score from 80 to 120, or an outcome code such as N or A');
  }
  return outcomes.includes(value)
    ? ok({ score: null, outcome: value })
    : bad('must be a KS2 scaled score from 80 to 120, or an outcome code such as N or A');
}
