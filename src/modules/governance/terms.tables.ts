import type { ColumnType } from 'kysely';

export type TermsResponse = 'accepted' | 'opted_out';

export interface TermsVersionsTable {
  id: string;
  version: string;
  summary: string;
  body: string;
  published_at: ColumnType<Date, Date | undefined, never>;
  /** 'yyyy-mm-dd': the day the version takes effect. */
  effective_on: string;
  published_by: string;
}

export interface TermsResponsesTable {
  school_id: string;
  version_id: string;
  response: TermsResponse;
  responded_by: string;
  responded_at: ColumnType<Date, Date | undefined, never>;
}

export interface TermsTables {
  terms_versions: TermsVersionsTable;
  terms_responses: TermsResponsesTable;
}
