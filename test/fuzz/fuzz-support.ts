// Shared pieces of the hostile-input fuzzing (issue #14): the run budget of each profile, byte-level
// mutations, and a snapshot of everything a school owns in the database (to prove "changed nothing").
import * as fc from 'fast-check';
import { sql } from 'kysely';
import type { Services } from '../../src/services.ts';

/**
 * Generated cases per importer property. The CI (fast) profile keeps the default; the nightly (full)
 * profile sets HAVEN_FUZZ_RUNS=10000 (see docs/fuzzing.md).
 */
export const IMPORT_RUNS = positiveInt(process.env.HAVEN_FUZZ_RUNS, 40);

/** Generated bodies per route (HAVEN_FUZZ_ROUTE_RUNS; the nightly profile uses 300). */
export const ROUTE_RUNS = positiveInt(process.env.HAVEN_FUZZ_ROUTE_RUNS, 25);

/** The fast profile's seed (any fixed value; changed only with a run of both databases that passes). */
const FAST_PROFILE_SEED = 20_261_205;

/**
 * A case that runs longer than this fails (with its seed and counterexample) instead of hanging the
 * suite: an import that never ends is a finding in itself.
 */
const CASE_TIMEOUT_MS = 120_000;

/**
 * The seed. CI's fast profile uses a fixed one, so a submission's tests never depend on chance;
 * HAVEN_FUZZ_SEED sets another (fast-check prints the seed and path of every counterexample), and
 * HAVEN_FUZZ_SEED=random draws a new one each run (the nightly profile).
 */
export const SEED = seedFrom(process.env.HAVEN_FUZZ_SEED);

function seedFrom(text: string | undefined): number | undefined {
  if (text === 'random') {
    return undefined;
  }
  return text === undefined ? FAST_PROFILE_SEED : Number(text);
}

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** fast-check parameters for a property of `runs` cases. */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  return {
    numRuns: runs,
    ...(SEED === undefined ? {} : { seed: SEED }),
    endOnFailure: false,
    timeout: CASE_TIMEOUT_MS,
  };
}

/** One edit of a byte string; positions are fractions of its length, so they fit any input. */
export type ByteEdit =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

/** Bytes that mean something to one of the readers: separators, quotes, markup, zip magic, BOMs. */
const meaningfulBytes = fc.constantFrom(
  ...[
    ',',
    '"',
    '\n',
    '\r',
    '\t',
    ';',
    '<',
    '>',
    '&',
    '/',
    '=',
    '\u0000',
    'PK\u0003\u0004',
    '\uFEFF',
    '\u00A3',
  ].map((text) => new Uint8Array(Buffer.from(text, 'utf8'))),
  new Uint8Array([0xff, 0xfe]),
  new Uint8Array([0xc3]),
);

export const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    bytes: fc.oneof(meaningfulBytes, fc.uint8Array({ minLength: 1, maxLength: 16 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: position,
    length: fc.integer({ min: 1, max: 64 }),
  }),
);

export function applyByteEdits(input: Buffer, edits: readonly ByteEdit[]): Buffer {
  let bytes = input;
  for (const edit of edits) {
    const at = Math.floor(edit.at * (bytes.length + 1));
    switch (edit.kind) {
      case 'flip': {
        if (bytes.length > 0) {
          const copy = Buffer.from(bytes);
          copy[Math.min(at, copy.length - 1)] = edit.value;
          bytes = copy;
        }
        break;
      }
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at), edit.bytes, bytes.subarray(at)]);
        break;
      case 'delete':
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + edit.length)]);
        break;
      case 'truncate':
        bytes = bytes.subarray(0, at);
        break;
      case 'duplicate':
        bytes = Buffer.concat([bytes.subarray(0, at + edit.length), bytes.subarray(at)]);
        break;
    }
  }
  return bytes;
}

/** Row counts of every table holding a school's rows (by school_id or org_id), as that school sees them. */
export async function schoolFootprint(services: Services, schoolId: string): Promise<Record<string, number>> {
  return services.db.withSchool(schoolId, async (trx) => {
    const columns = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and column_name in ('school_id', 'org_id')
      order by table_name`.execute(trx);
    const counts = await sql<{ key: string; count: string }>`${sql.join(
      columns.rows.map(
        ({ table_name: table, column_name: column }) =>
          sql`select ${`${table}.${column}`} as key, count(*)::text as count from ${sql.table(table)} where ${sql.ref(column)}::text = ${schoolId}`,
      ),
      sql` union all `,
    )}`.execute(trx);
    return Object.fromEntries(counts.rows.map((row) => [row.key, Number(row.count)]));
  });
}

/** The tables whose counts differ between two footprints, with the difference. */
export function footprintChange(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const change: Record<string, number> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const delta = (after[key] ?? 0) - (before[key] ?? 0);
    if (delta !== 0) {
      change[key] = delta;
    }
  }
  return change;
}
