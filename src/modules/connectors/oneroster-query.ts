// The OneRoster 1.2 REST binding's query parameters over a collection Haven has already limited to what
// the app may see: `filter` (one or two predicates joined by AND or OR; = != > >= < <= ~), `sort` and
// `orderBy`, `fields`, and `limit`/`offset` paging (default 100). A field the collection does not have
// is an error with the binding's code minor (invalid_filter_field, invalid_selection_field,
// invalid_sort_field), never silently ignored.

export type OneRosterRecord = Record<string, unknown>;

/** A request error in the OneRoster error vocabulary. */
export class OneRosterError extends Error {
  readonly status: number;
  readonly codeMinor: string;

  constructor(status: number, codeMinor: string, message: string) {
    super(message);
    this.status = status;
    this.codeMinor = codeMinor;
  }
}

export interface OneRosterQuery {
  filter?: string | undefined;
  sort?: string | undefined;
  orderBy?: string | undefined;
  fields?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

const PREDICATE = /^\s*([A-Za-z][A-Za-z0-9.]*)\s*(!=|>=|<=|=|>|<|~)\s*'([^']*)'\s*$/;

/** A record's field by dotted path (`course.sourcedId`), as text for comparing. */
function valueAt(record: OneRosterRecord, path: string): string | undefined {
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || !(part in current)) {
      return undefined;
    }
    current = Object.entries(current).find(([key]) => key === part)?.[1];
  }
  if (Array.isArray(current)) {
    return current.map(String).join(',');
  }
  return typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean'
    ? String(current)
    : '';
}

function predicate(text: string, known: ReadonlySet<string>): (record: OneRosterRecord) => boolean {
  const match = PREDICATE.exec(text);
  if (match === null) {
    throw new OneRosterError(
      400,
      'invalid_filter_field',
      `The filter "${text.slice(0, 80)}" is not field op 'value'.`,
    );
  }
  const [, field = '', op = '=', wanted = ''] = match;
  if (!known.has(field.split('.')[0] ?? '')) {
    throw new OneRosterError(
      400,
      'invalid_filter_field',
      `There is no field ${field.slice(0, 40)} to filter on.`,
    );
  }
  return (record) => {
    const value = valueAt(record, field);
    if (value === undefined) {
      return false;
    }
    switch (op) {
      case '=':
        return value === wanted;
      case '!=':
        return value !== wanted;
      case '>':
        return value > wanted;
      case '>=':
        return value >= wanted;
      case '<':
        return value < wanted;
      case '<=':
        return value <= wanted;
      default:
        return value.toLowerCase().includes(wanted.toLowerCase());
    }
  };
}

function filterOf(text: string, known: ReadonlySet<string>): (record: OneRosterRecord) => boolean {
  const [left, logical, right] = text.split(/ (AND|OR) /);
  const first = predicate(left ?? '', known);
  if (logical === undefined || right === undefined) {
    return first;
  }
  const second = predicate(right, known);
  return logical === 'AND'
    ? (record) => first(record) && second(record)
    : (record) => first(record) || second(record);
}

/** Applies the query to the whole collection; returns the page and the total before paging. */
export function applyQuery(
  records: readonly OneRosterRecord[],
  fieldNames: readonly string[],
  query: OneRosterQuery,
): { page: OneRosterRecord[]; total: number; limit: number; offset: number } {
  const known = new Set(fieldNames);
  let selected =
    query.filter === undefined || query.filter === ''
      ? [...records]
      : records.filter(filterOf(query.filter, known));
  if (query.sort !== undefined && query.sort !== '') {
    const sort = query.sort;
    if (!known.has(sort.split('.')[0] ?? '')) {
      throw new OneRosterError(
        400,
        'invalid_sort_field',
        `There is no field ${sort.slice(0, 40)} to sort on.`,
      );
    }
    const direction = query.orderBy === 'desc' ? -1 : 1;
    selected = selected.toSorted(
      (a, b) => direction * (valueAt(a, sort) ?? '').localeCompare(valueAt(b, sort) ?? ''),
    );
  }
  const limit = query.limit ?? 100;
  const offset = query.offset ?? 0;
  let page = selected.slice(offset, offset + limit);
  if (query.fields !== undefined && query.fields !== '') {
    const wanted = query.fields.split(',').map((field) => field.trim());
    const unknown = wanted.find((field) => !known.has(field));
    if (unknown !== undefined) {
      throw new OneRosterError(
        400,
        'invalid_selection_field',
        `There is no field ${unknown.slice(0, 40)} to select.`,
      );
    }
    page = page.map((record) =>
      Object.fromEntries(wanted.filter((field) => field in record).map((field) => [field, record[field]])),
    );
  }
  return { page, total: selected.length, limit, offset };
}

/** The binding's Link header: first, prev, next and last pages of the same query. */
export function linkHeader(url: URL, total: number, limit: number, offset: number): string {
  const at = (start: number) => {
    const next = new URL(url);
    next.searchParams.set('limit', String(limit));
    next.searchParams.set('offset', String(start));
    return `<${next.pathname}${next.search}>`;
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [`${at(0)}; rel="first"`];
  if (offset > 0) {
    links.push(`${at(Math.max(0, offset - limit))}; rel="prev"`);
  }
  if (offset + limit < total) {
    links.push(`${at(offset + limit)}; rel="next"`);
  }
  links.push(`${at(last)}; rel="last"`);
  return links.join(', ');
}
