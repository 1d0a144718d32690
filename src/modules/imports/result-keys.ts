import type { Facet } from '../curriculum/curriculum.tables.ts';

// Finding a results file's repeated rows without a string per row: a 1.8-million-row file kept each
// row's "pupil|subject|point|facet" string and its first row (several hundred MB). Here the pupil,
// subject, assessment point and facet become small numbers packed into one exact integer, held in
// open-addressing tables of typed arrays with, per slot, the first row and its grade's number in one
// 32-bit word. Nearly every file's keys fit 32 bits (under 262,143 pupils, 64 subjects and 64
// assessment points): those slots are 8 bytes, about 12 bytes a row. Keys that do not fit go to tables
// of 53-bit keys (12 bytes a slot), and past those to a map of strings.
//
// The slots are split into 16 tables by the key's hash, each grown by half when 80% full, so growing
// never holds two copies of everything. A table's arrays soon pass 128 kB, which glibc maps on their
// own and gives back when freed, as `./haven` fixes that threshold (decisions 0015 and 0016): the
// arrays a table outgrows leave no holes in the heap.

// The 32-bit packing: pupil × 64 subjects × 64 points × 4 facets (+ 1, as 0 marks an empty slot).
const NARROW_SUBJECTS = 64;
const NARROW_POINTS = 64;
const NARROW_LIMIT = 2 ** 32 - 1;
// The 53-bit packing.
const PUPIL_BITS = 2 ** 26;
const SUBJECT_BITS = 2 ** 10;
const POINT_BITS = 2 ** 15;
const FACETS: Record<Facet, number> = { achieved: 0, target: 1, prediction: 2, baseline: 3 };
// A slot's second word: the row in the top 24 bits, the grade's number in the low 8.
const GRADE_BITS = 2 ** 8;
const MAX_ROW = 2 ** 24 - 1;
// A slot whose row or grade does not fit: its first row is in a Map beside the tables.
const WIDE = 2 ** 32 - 1;
const TABLE_BITS = 4;
const FIRST_CAPACITY = 16;
const TWO_24 = 2 ** 24;
const TWO_32 = 2 ** 32;

/** The first row that named a key, and the grade it gave. */
export interface EarlierResult {
  row: number;
  grade: string;
}

/** The number standing for each distinct name, handed out in order of first appearance. */
class Numbering {
  readonly #numbers = new Map<string, number>();
  /** The names by number, kept only when asked for (grades): a pupil's key is never needed back. */
  readonly names: string[] | undefined;

  constructor(keepNames: boolean) {
    this.names = keepNames ? [] : undefined;
  }

  of(name: string): number {
    let number = this.#numbers.get(name);
    if (number === undefined) {
      number = this.#numbers.size;
      this.#numbers.set(name, number);
      this.names?.push(name);
    }
    return number;
  }
}

/** A 32-bit hash of a packed key: the top 8 bits choose the table, the low 24 the slot in it. */
function hashOf(packed: number): number {
  const low = (packed % TWO_32) >>> 0;
  const high = Math.floor(packed / TWO_32) >>> 0;
  let hash = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The home slot of a hash in a table of `capacity` slots (any size, not only powers of two). */
function homeOf(hash: number, capacity: number): number {
  return Math.floor(((hash % TWO_24) * capacity) / TWO_24);
}

/** One of the tables: keys (packed + 1, 0 is empty) and, per slot, row × 256 + grade number. */
class Table {
  keys: Uint32Array | Float64Array;
  firsts = new Uint32Array(FIRST_CAPACITY);
  size = 0;
  readonly #wide: boolean;

  constructor(wide: boolean) {
    this.#wide = wide;
    this.keys = this.#newKeys(FIRST_CAPACITY);
  }

  #newKeys(capacity: number): Uint32Array | Float64Array {
    return this.#wide ? new Float64Array(capacity) : new Uint32Array(capacity);
  }

  /** The slot holding `packed`, or the empty slot where it belongs. */
  find(packed: number, hash: number): number {
    const keys = this.keys;
    let slot = homeOf(hash, keys.length);
    for (;;) {
      const held = keys[slot] ?? 0;
      if (held === 0 || held === packed) {
        return slot;
      }
      slot = slot + 1 === keys.length ? 0 : slot + 1;
    }
  }

  add(slot: number, packed: number, first: number): void {
    this.keys[slot] = packed;
    this.firsts[slot] = first;
    this.size += 1;
    if (this.size * 5 > this.keys.length * 4) {
      this.#grow();
    }
  }

  #grow(): void {
    const keys = this.keys;
    const firsts = this.firsts;
    const capacity = Math.ceil(keys.length * 1.5);
    this.keys = this.#newKeys(capacity);
    this.firsts = new Uint32Array(capacity);
    keys.forEach((packed, index) => {
      if (packed !== 0) {
        const slot = this.find(packed, hashOf(packed));
        this.keys[slot] = packed;
        this.firsts[slot] = firsts[index] ?? 0;
      }
    });
  }
}

/** Tables chosen by the top bits of the key's hash. */
function tables(wide: boolean): Table[] {
  return Array.from({ length: 2 ** TABLE_BITS }, () => new Table(wide));
}

/** Each result key of a file, remembered with the first row and grade that named it. */
export class ResultKeys {
  readonly #pupils = new Numbering(false);
  readonly #subjects = new Numbering(false);
  readonly #points = new Numbering(false);
  readonly #grades = new Numbering(true);
  /** Keys that do not fit the packing (a file with over 1,024 subjects or 32,768 points): by string. */
  readonly #overflow = new Map<string, EarlierResult>();
  /** First rows whose row or grade do not fit a slot's word (past 16 million rows, 256 grades). */
  readonly #narrowFirsts = new Map<number, EarlierResult>();
  readonly #wideFirsts = new Map<number, EarlierResult>();
  readonly #narrow = tables(false);
  readonly #wide = tables(true);

  /**
   * The row that named this key first, if any; otherwise remembers this row as that first row.
   * `pupil` is the pupil key as one string (see keyString).
   */
  earlier(
    pupil: string,
    subject: string,
    point: string,
    facet: Facet,
    row: number,
    grade: string,
  ): EarlierResult | undefined {
    const pupilNumber = this.#pupils.of(pupil);
    const subjectNumber = this.#subjects.of(subject);
    const pointNumber = this.#points.of(point);
    const gradeNumber = this.#grades.of(grade);
    const facetNumber = FACETS[facet];
    const narrow =
      ((pupilNumber * NARROW_SUBJECTS + subjectNumber) * NARROW_POINTS + pointNumber) * 4 + facetNumber + 1;
    if (subjectNumber < NARROW_SUBJECTS && pointNumber < NARROW_POINTS && narrow < NARROW_LIMIT) {
      return this.#inTables(this.#narrow, this.#narrowFirsts, narrow, row, gradeNumber, grade);
    }
    if (pupilNumber < PUPIL_BITS && subjectNumber < SUBJECT_BITS && pointNumber < POINT_BITS) {
      const wide =
        ((pupilNumber * SUBJECT_BITS + subjectNumber) * POINT_BITS + pointNumber) * 4 + facetNumber + 1;
      return this.#inTables(this.#wide, this.#wideFirsts, wide, row, gradeNumber, grade);
    }
    const key = `${pupil}\u0000${subject}\u0000${point}\u0000${facet}`;
    const found = this.#overflow.get(key);
    if (found === undefined) {
      this.#overflow.set(key, { row, grade });
    }
    return found;
  }

  /** Looks `packed` up in one set of tables, remembering this row as its first when it is new. */
  #inTables(
    set: readonly Table[],
    wideFirsts: Map<number, EarlierResult>,
    packed: number,
    row: number,
    gradeNumber: number,
    grade: string,
  ): EarlierResult | undefined {
    const hash = hashOf(packed);
    const table = set[hash >>> (32 - TABLE_BITS)];
    if (table === undefined) {
      throw new Error('a hash outside the tables');
    }
    const slot = table.find(packed, hash);
    if (table.keys[slot] === packed) {
      const first = table.firsts[slot] ?? 0;
      return first === WIDE
        ? wideFirsts.get(packed)
        : { row: Math.floor(first / GRADE_BITS), grade: this.#grades.names?.[first % GRADE_BITS] ?? '' };
    }
    if (row < MAX_ROW && gradeNumber < GRADE_BITS) {
      table.add(slot, packed, row * GRADE_BITS + gradeNumber);
    } else {
      table.add(slot, packed, WIDE);
      wideFirsts.set(packed, { row, grade });
    }
    return undefined;
  }
}
