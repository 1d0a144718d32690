import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.ts';

/**
 * Paths pino blanks before a line is written. Code should not log personal data at all; this is the
 * safety net for a field that slips through (a request body, a database error's detail).
 */
const SENSITIVE_FIELDS = [
  'password',
  'newPassword',
  'totp',
  'token',
  'secret',
  'email',
  'upn',
  'forename',
  'surname',
  'name',
  'dob',
  'dateOfBirth',
  'address',
  'phone',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'err.detail',
  'err.parameters',
  // pino has no recursive wildcard: cover a field at the top of a logged object and one level down.
  ...SENSITIVE_FIELDS.flatMap((field) => [`*.${field}`, `*.*.${field}`]),
];

/** The process logger: JSON lines on stdout, personal fields redacted. */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'haven' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
