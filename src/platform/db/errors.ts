/**
 * PostgreSQL error codes Haven turns into user-facing answers, in one place
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html). PGlite raises the same codes.
 */
export type DatabaseFailure =
  | 'unique_violation'
  | 'foreign_key_violation'
  | 'check_violation'
  | 'not_null_violation'
  | 'invalid_value'
  | 'row_security'
  | 'retryable'
  | 'unavailable';

const BY_CODE: Record<string, DatabaseFailure> = {
  '23505': 'unique_violation',
  '23503': 'foreign_key_violation',
  '23514': 'check_violation',
  '23502': 'not_null_violation',
  // Data exceptions caused by a value the caller sent: a NUL in text or jsonb (22021, 22P05), text that
  // does not fit its column (22001), a number or date out of range (22003, 22008), unreadable input (22007, 22P02).
  '22021': 'invalid_value',
  '22P05': 'invalid_value',
  '22001': 'invalid_value',
  '22003': 'invalid_value',
  '22008': 'invalid_value',
  '22007': 'invalid_value',
  '22P02': 'invalid_value',
  // insufficient_privilege: raised when a row-level security WITH CHECK refuses a row.
  '42501': 'row_security',
  '40001': 'retryable',
  '40P01': 'retryable',
  '57P01': 'unavailable',
  '57P03': 'unavailable',
  '08000': 'unavailable',
  '08003': 'unavailable',
  '08006': 'unavailable',
};

/** Classifies an error thrown by the database driver, or undefined when it is not a database error. */
export function classifyDatabaseError(error: unknown): DatabaseFailure | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) {
    return undefined;
  }
  const code = error.code;
  if (typeof code !== 'string') {
    return undefined;
  }
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') {
    return 'unavailable';
  }
  return BY_CODE[code];
}
