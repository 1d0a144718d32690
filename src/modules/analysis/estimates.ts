import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

// The DfE's Progress 8 estimates, read from the files in data/ (see data/README.md for provenance).

export interface ElementEstimates {
  attainment8: number;
  english: number;
  maths: number;
  ebacc: number;
  open: number;
}

export interface NationalDeviations {
  progress8: number;
  english: number;
  maths: number;
  ebacc: number;
  open: number;
}

export interface EstimatesYear {
  /** e.g. "2024_provisional". */
  id: string;
  year: number;
  version: 'provisional' | 'revised';
  /** Estimates by prior attainment group, index 1–34. */
  byGroup: ReadonlyMap<number, ElementEstimates>;
  deviations: NationalDeviations | undefined;
}

const DIR = path.join(import.meta.dirname, 'data');
const FILE = /^dfe_p8_att8_splits_(\d{4})_(provisional|revised)\.csv$/;

function number(text: string | undefined, where: string): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value)) {
    throw new Error(`${where}: "${text ?? ''}" is not a number`);
  }
  return value;
}

function readRows(file: string): string[][] {
  const rows: unknown = parse(readFileSync(path.join(DIR, file), 'utf8'), { skip_empty_lines: true });
  if (!Array.isArray(rows)) {
    throw new Error(`${file} is not CSV`);
  }
  return rows.map((row: unknown) => (Array.isArray(row) ? row.map(String) : []));
}

function readDeviations(): Map<string, NationalDeviations> {
  const [, ...rows] = readRows('dfe_p8_national_sd_by_year.csv');
  return new Map(
    rows.map((row) => {
      const where = `national SD ${row[0] ?? ''}`;
      return [
        row[0] ?? '',
        {
          progress8: number(row[1], where),
          english: number(row[2], where),
          maths: number(row[3], where),
          ebacc: number(row[4], where),
          open: number(row[5], where),
        },
      ];
    }),
  );
}

function readYears(): EstimatesYear[] {
  const deviations = readDeviations();
  return readdirSync(DIR)
    .flatMap((file) => {
      const match = FILE.exec(file);
      if (match === null) {
        return [];
      }
      const [, year = '', version = ''] = match;
      const [, ...rows] = readRows(file);
      const byGroup = new Map<number, ElementEstimates>();
      for (const row of rows) {
        const where = `${file} PAG ${row[0] ?? ''}`;
        byGroup.set(number(row[0], where), {
          attainment8: number(row[2], where),
          english: number(row[3], where),
          maths: number(row[4], where),
          ebacc: number(row[5], where),
          open: number(row[6], where),
        });
      }
      if (byGroup.size !== 34) {
        throw new Error(`${file} has ${byGroup.size} prior attainment groups, not 34`);
      }
      const id = `${year}_${version}`;
      return [
        {
          id,
          year: Number(year),
          version: version === 'revised' ? ('revised' as const) : ('provisional' as const),
          byGroup,
          deviations: deviations.get(id),
        },
      ];
    })
    .sort((a, b) => a.year - b.year || (a.version === b.version ? 0 : a.version === 'revised' ? 1 : -1));
}

/** Every estimates year shipped, oldest first (revised after provisional within a year). */
export const ESTIMATES_YEARS: readonly EstimatesYear[] = readYears();

/** The latest estimates: the newest year, its revised version when there is one. */
export function latestEstimates(): EstimatesYear {
  const latest = ESTIMATES_YEARS.at(-1);
  if (latest === undefined) {
    throw new Error('no Progress 8 estimates are shipped');
  }
  return latest;
}

export function estimatesById(id: string): EstimatesYear | undefined {
  return ESTIMATES_YEARS.find((entry) => entry.id === id);
}
