import type { Facet } from '../curriculum/curriculum.tables.ts';

// Finding a results file's repeated rows without a string per row: a 1.8-million-row file kept each
// row's "pupil|subject|point|facet" string and its first row (several hundred MB). Here the pupil,
// subject, assessment point and facet become small numbers packed into one exact integer (below 2^53),
// held in an open-addressing table of typed arrays: 14 bytes a slot, about 20 bytes a row.

const PUPIL_BITS = 2 ** 26;
const SUBJECT_BITS = 2 ** 10;
const POINT_BITS = 2 ** 15;
const FACETS: Record<Facet, number> = { achieved: 0, target: 1, prediction: 2, baseline: 3 };
const MAX_GRADES = 2 ** 16;
const FIRST_CAPACITY = 1 << 12;
const TWO_32 = 2 ** 32;

/** The first row that named a key, and the grade it gave. */
export interface EarlierResult {
  row: number;
  grade: string;
}

/** The number standing for each distinct name, handed out in order of first appearance. */
class Numbering {
  readonly #numbers = new Map<string, number>();
  readonly names: string[] = [];

  of(name: string): number {
    let number = this.#numbers.get(name);
    if (number === undefined) {
      number = this.names.length;
      this.#numbers.set(name, number);
      this.names.push(name);
    }
    return number;
  }
}

function slotOf(packed: number, mask: number): number {
  const low = (packed % TWO_32) >>> 0;
  const high = Math.floor(packed / TWO_32) >>> 0;
  let hash = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash & mask;
}

/** Each result key of a file, remembered with the first row and grade that named it. */
export class ResultKeys {
  readonly #pupils = new Numbering();
  readonly #subjects = new Numbering();
  readonly #points = new Numbering();
  readonly #grades = new Numbering();
  /** Keys that do not fit the packing (a file with over 1,024 subjects or 32,768 points): by string. */
  readonly #overflow = new Map<string, EarlierResult>();
  // Slot i holds key packed + 1 (0 is empty), its first row and its grade's number.
  #keys = new Float64Array(FIRST_CAPACITY);
  #rows = new Int32Array(FIRST_CAPACITY);
  #gradeOf = new Uint16Array(FIRST_CAPACITY);
  #size = 0;

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
    if (
      pupilNumber >= PUPIL_BITS ||
      subjectNumber >= SUBJECT_BITS ||
      pointNumber >= POINT_BITS ||
      gradeNumber >= MAX_GRADES
    ) {
      const key = `${pupil}\u0000${subject}\u0000${point}\u0000${facet}`;
      const found = this.#overflow.get(key);
      if (found === undefined) {
        this.#overflow.set(key, { row, grade });
      }
      return found;
    }
    const packed =
      ((pupilNumber * SUBJECT_BITS + subjectNumber) * POINT_BITS + pointNumber) * 4 + FACETS[facet] + 1;
    const mask = this.#keys.length - 1;
    let slot = slotOf(packed, mask);
    for (;;) {
      const held = this.#keys[slot] ?? 0;
      if (held === 0) {
        break;
      }
      if (held === packed) {
        return { row: this.#rows[slot] ?? 0, grade: this.#grades.names[this.#gradeOf[slot] ?? 0] ?? '' };
      }
      slot = (slot + 1) & mask;
    }
    this.#keys[slot] = packed;
    this.#rows[slot] = row;
    this.#gradeOf[slot] = gradeNumber;
    this.#size += 1;
    if (this.#size * 10 > this.#keys.length * 7) {
      this.#grow();
    }
    return undefined;
  }

  #grow(): void {
    const keys = this.#keys;
    const rows = this.#rows;
    const grades = this.#gradeOf;
    this.#keys = new Float64Array(keys.length * 2);
    this.#rows = new Int32Array(keys.length * 2);
    this.#gradeOf = new Uint16Array(keys.length * 2);
    const mask = this.#keys.length - 1;
    keys.forEach((packed, index) => {
      if (packed === 0) {
        return;
      }
      let slot = slotOf(packed, mask);
      while ((this.#keys[slot] ?? 0) !== 0) {
        slot = (slot + 1) & mask;
      }
      this.#keys[slot] = packed;
      this.#rows[slot] = rows[index] ?? 0;
      this.#gradeOf[slot] = grades[index] ?? 0;
    });
  }
}
