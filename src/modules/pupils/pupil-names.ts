import { DecryptionError } from '../../platform/crypto/field-cipher.ts';
import type { SchoolVault } from '../../platform/crypto/vault.ts';
import type { PupilNameRow } from './pupils.repository.ts';

// Pupils' names as lists and searches need them: decrypted in memory, matched, shown and sorted.

export interface PupilNames {
  forename: string | null;
  surname: string | null;
  preferredForename: string | null;
  preferredSurname: string | null;
}

/** A pupil of a list or search: names decrypted, UPN still sealed (opened only for the pupils shown). */
export interface NamedPupil {
  id: string;
  yearGroup: number | null;
  names: PupilNames;
  /** The pupil's key is gone (erased): no name can be read, and none is shown. */
  erased: boolean;
  sealedUpn: Buffer | null;
}

const NAME_COLUMNS = {
  forename: 'forename',
  surname: 'surname',
  preferredForename: 'preferred_forename',
  preferredSurname: 'preferred_surname',
} as const;

const NO_NAMES: PupilNames = {
  forename: null,
  surname: null,
  preferredForename: null,
  preferredSurname: null,
};

/**
 * Decrypts the names of many pupils: their keys are loaded in one query first, so this costs one
 * AES-GCM open per name. A pupil whose key was destroyed (erased) has no names; any other failure
 * (a tampered or misplaced value) fails closed.
 */
export async function openNames(vault: SchoolVault, rows: readonly PupilNameRow[]): Promise<NamedPupil[]> {
  await vault.preloadSubjects(rows.map((row) => row.id));
  const named: NamedPupil[] = [];
  for (const row of rows) {
    const sealed: Record<string, Buffer> = {};
    for (const column of Object.values(NAME_COLUMNS)) {
      const value = row[column];
      if (value !== null) {
        sealed[column] = value;
      }
    }
    let opened: Record<string, string> | undefined;
    try {
      opened = await vault.decryptRecord('pupils', row.id, sealed);
    } catch (error) {
      if (!(error instanceof DecryptionError && error.reason === 'unknown_key')) {
        throw error;
      }
    }
    named.push({
      id: row.id,
      yearGroup: row.year_group,
      names:
        opened === undefined
          ? NO_NAMES
          : {
              forename: opened.forename ?? null,
              surname: opened.surname ?? null,
              preferredForename: opened.preferred_forename ?? null,
              preferredSurname: opened.preferred_surname ?? null,
            },
      erased: opened === undefined,
      sealedUpn: opened === undefined ? null : row.upn,
    });
  }
  return named;
}

/** The name a pupil is known by: preferred forename and surname where the school has them. */
export function shownForename(names: PupilNames): string | null {
  return names.preferredForename ?? names.forename;
}

export function shownSurname(names: PupilNames): string | null {
  return names.preferredSurname ?? names.surname;
}

/** "Forename Surname" as the pupil is known, or null for a pupil without names (imported without). */
export function displayName(names: PupilNames): string | null {
  const parts = [shownForename(names), shownSurname(names)].filter((part) => part !== null && part !== '');
  return parts.length === 0 ? null : parts.join(' ');
}

/** Lower case, accents and punctuation dropped: "O’Brién" and "obrien" compare alike. */
export function foldName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .toLocaleLowerCase('en-GB');
}

/** The words of a search, folded; empty when the query holds nothing to search for. */
export function searchWords(query: string): string[] {
  return foldName(query)
    .split(/\s+/u)
    .filter((word) => word !== '');
}

/**
 * Whether every word of the search is part of one of the pupil's names (legal or preferred), so that
 * "smi", "ANNA" and "ann smi" all find Anna Smith.
 */
export function matchesWords(names: PupilNames, words: readonly string[]): boolean {
  const folded = Object.values(names)
    .filter((name) => name !== null)
    .map(foldName);
  return words.every((word) => folded.some((name) => name.includes(word)));
}

const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });

/**
 * Surname, then forename (as shown), then id: a total order, so a page cursor is stable. Pupils without
 * names come last.
 */
export function byName(a: NamedPupil, b: NamedPupil): number {
  return (
    Number(displayName(a.names) === null) - Number(displayName(b.names) === null) ||
    collator.compare(shownSurname(a.names) ?? '', shownSurname(b.names) ?? '') ||
    collator.compare(shownForename(a.names) ?? '', shownForename(b.names) ?? '') ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
