import { createHmac, type KeyObject } from 'node:crypto';

/**
 * Blind index: HMAC-SHA256 of a normalised identifier under the school's index key (never the data key),
 * for exact lookups of unique identifiers (UPN, staff e-mail) without decrypting anything.
 *
 * Only high-cardinality, unique identifiers get one. An index of a low-cardinality field (sex, year
 * group, postcode district) would be a dictionary: anyone with the table could group rows by digest and
 * recover values by frequency. Such fields are either pseudonymised attributes stored in the clear for
 * analysis, or encrypted with no index at all.
 */
export function blindIndex(indexKey: KeyObject, kind: string, value: string): Buffer {
  return createHmac('sha256', indexKey)
    .update(`${kind}\u0000${normaliseIdentifier(value)}`, 'utf8')
    .digest();
}

/** NFKC, trimmed, inner whitespace removed, lower case: " h801 2000 01001 " and "H801200001001" match. */
export function normaliseIdentifier(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/gu, '').toLowerCase();
}
