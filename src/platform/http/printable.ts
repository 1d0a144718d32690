import { Type } from 'typebox';

// Control characters (NUL, escapes), format characters (e.g. a right-to-left override that makes an
// address display as another) and lone surrogates (not text at all: PostgreSQL refuses them in text
// and jsonb, so they would surface as a 500) have no place in a name, role or e-mail address.

/** True when the text holds a character no name, role or address should have. */
export function hasUnprintable(text: string): boolean {
  return /[\p{Cc}\p{Cf}\p{Cs}]/u.test(text);
}

/** The same rule as a JSON Schema pattern (Ajv compiles patterns with the `u` flag). */
export const PRINTABLE_PATTERN = '^[^\\p{Cc}\\p{Cf}\\p{Cs}]*$';

/** A request string with length limits that refuses such characters with a 400 naming the field. */
export function PrintableString(options: { minLength: number; maxLength: number; description?: string }) {
  return Type.String({ ...options, pattern: PRINTABLE_PATTERN });
}
