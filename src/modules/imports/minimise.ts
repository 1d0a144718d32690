import type { PupilRecord } from '../pupils/pupil-record.ts';
import type { ParsedRow } from './parse.ts';

// Data minimisation for imports that should carry less than the file holds (a connector syncs only the
// categories the school chose): the omitted fields are dropped from each parsed pupil before it is
// checked or written, so they never reach the database, whatever the file format.

/** Fields that can be left out: identity and attribute columns, or `prior_attainment`, `classes`, `groups`. */
export type OmittableField =
  keyof PupilRecord['identity'] | keyof PupilRecord['attributes'] | 'prior_attainment' | 'classes' | 'groups';

function minimise(record: PupilRecord, omit: ReadonlySet<string>): PupilRecord {
  const identity = Object.fromEntries(Object.entries(record.identity).filter(([field]) => !omit.has(field)));
  const attributes = Object.fromEntries(
    Object.entries(record.attributes).filter(([field]) => !omit.has(field)),
  );
  const { priorAttainment, classes, groups, ...rest } = record;
  return {
    ...rest,
    identity,
    attributes,
    ...(priorAttainment === undefined || omit.has('prior_attainment') ? {} : { priorAttainment }),
    ...(classes === undefined || omit.has('classes') ? {} : { classes }),
    ...(groups === undefined || omit.has('groups') ? {} : { groups }),
  };
}

/** The rows with the omitted fields taken out of every pupil record (results rows pass unchanged). */
export async function* withoutFields(
  rows: AsyncIterable<ParsedRow>,
  omit: ReadonlySet<OmittableField>,
): AsyncGenerator<ParsedRow> {
  for await (const row of rows) {
    yield row.kind === 'pupil' && row.record !== undefined && omit.size > 0
      ? { ...row, record: minimise(row.record, omit) }
      : row;
  }
}
