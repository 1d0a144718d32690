import assert from 'node:assert/strict';
import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { assert as checkProperty, property, string, uuid } from 'fast-check';
import {
  DecryptionError,
  decryptField,
  encryptField,
  fieldKey,
  fieldKeyId,
  type DecryptionFailure,
  type FieldContext,
  type FieldKey,
} from './field-cipher.ts';

const key: FieldKey = fieldKey(randomUUID(), createSecretKey(randomBytes(32)));
const here: FieldContext = {
  schoolId: randomUUID(),
  table: 'pupil_identities',
  column: 'surname',
  rowId: randomUUID(),
};

function failsWith(reason: DecryptionFailure) {
  return (error: unknown): boolean => error instanceof DecryptionError && error.reason === reason;
}

describe('field cipher', () => {
  test('round trip, with the key id and format version in the header', () => {
    const sealed = encryptField(key, 'Testpupil-Ńåmé', here);
    assert.equal(sealed[0], 1);
    assert.equal(fieldKeyId(sealed, here), key.hexId);
    assert.equal(decryptField(key, sealed, here), 'Testpupil-Ńåmé');
  });

  test('the same value encrypts differently each time (random nonce)', () => {
    assert.notDeepEqual(encryptField(key, 'same', here), encryptField(key, 'same', here));
  });

  test('the ciphertext does not contain the plaintext', () => {
    const sealed = encryptField(key, 'ZEBEDEE-PLAINTEXT', here);
    assert.equal(sealed.includes(Buffer.from('ZEBEDEE')), false);
  });

  test('a flipped bit anywhere after the header fails authentication', () => {
    const sealed = encryptField(key, 'value', here);
    for (let index = 17; index < sealed.length; index += 1) {
      const tampered = Buffer.from(sealed);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      assert.throws(
        () => decryptField(key, tampered, here),
        failsWith('authentication_failed'),
        `byte ${index}`,
      );
    }
  });

  test('a flipped bit in the key id names a key that is not the one given', () => {
    const sealed = encryptField(key, 'value', here);
    sealed[5] = (sealed[5] ?? 0) ^ 0x80;
    assert.throws(() => decryptField(key, sealed, here), failsWith('unknown_key'));
  });

  test('an unknown format version fails closed', () => {
    const sealed = encryptField(key, 'value', here);
    sealed[0] = 2;
    assert.throws(() => decryptField(key, sealed, here), failsWith('unsupported_format'));
    assert.throws(() => decryptField(key, Buffer.alloc(0), here), failsWith('unsupported_format'));
  });

  test('a truncated value fails closed', () => {
    const sealed = encryptField(key, 'value', here);
    assert.throws(() => decryptField(key, sealed.subarray(0, 40), here), failsWith('truncated'));
    assert.throws(
      () => decryptField(key, sealed.subarray(0, sealed.length - 1), here),
      failsWith('authentication_failed'),
    );
  });

  test('a missing key (shredded) fails closed', () => {
    const sealed = encryptField(key, 'value', here);
    assert.throws(() => decryptField(undefined, sealed, here), failsWith('unknown_key'));
  });

  for (const [what, moved] of [
    ['another row', { ...here, rowId: randomUUID() }],
    ['another column', { ...here, column: 'forename' }],
    ['another table', { ...here, table: 'contacts' }],
    ['another school', { ...here, schoolId: randomUUID() }],
  ] as const) {
    test(`a ciphertext copied to ${what} fails`, () => {
      const sealed = encryptField(key, 'value', here);
      assert.throws(() => decryptField(key, sealed, moved), failsWith('authentication_failed'));
    });
  }

  test('errors name the place, never the value or key', () => {
    const sealed = encryptField(key, 'SECRET-VALUE', here);
    try {
      decryptField(key, sealed, { ...here, rowId: 'row-1' });
      assert.fail('should have thrown');
    } catch (error) {
      assert.ok(error instanceof DecryptionError);
      assert.equal(
        error.message,
        'cannot decrypt pupil_identities.surname of row row-1: authentication failed',
      );
    }
  });

  test('property: any Unicode string round-trips, and fails in any other place', () => {
    checkProperty(
      property(string({ unit: 'grapheme', maxLength: 200 }), uuid(), (value, otherRow) => {
        const sealed = encryptField(key, value, here);
        assert.equal(decryptField(key, sealed, here), value);
        if (otherRow !== here.rowId) {
          assert.throws(() => decryptField(key, sealed, { ...here, rowId: otherRow }), DecryptionError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
