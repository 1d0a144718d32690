// Blind indexes, pseudonyms, the key cache and the master key provider: pure units.
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import { blindIndex, normaliseIdentifier } from './blind-index.ts';
import { KeyCache } from './key-cache.ts';
import { LocalKeyProvider, UnknownKekError } from './key-provider.ts';
import { newPupilId, pairwisePupilId } from './pseudonyms.ts';

describe('blind index', () => {
  const indexKey = createSecretKey(randomBytes(32));

  test('matches after normalisation (case, spaces, Unicode compatibility forms)', () => {
    assert.equal(normaliseIdentifier(' H801 2000 01001 '), 'h801200001001');
    assert.deepEqual(
      blindIndex(indexKey, 'upn', 'h801200001001'),
      blindIndex(indexKey, 'upn', ' H8012000 01001'),
    );
    assert.deepEqual(
      blindIndex(indexKey, 'email', 'Ａda@example.invalid'),
      blindIndex(indexKey, 'email', 'ada@EXAMPLE.invalid'),
    );
  });

  test('differs between kinds, values and schools (index keys)', () => {
    const upn = blindIndex(indexKey, 'upn', 'H801200001001');
    assert.notDeepEqual(upn, blindIndex(indexKey, 'email', 'H801200001001'));
    assert.notDeepEqual(upn, blindIndex(indexKey, 'upn', 'H801200001002'));
    assert.notDeepEqual(upn, blindIndex(createSecretKey(randomBytes(32)), 'upn', 'H801200001001'));
  });
});

describe('pseudonyms', () => {
  test('random pupil ids are UUIDs and never repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newPupilId()));
    assert.equal(ids.size, 1000);
  });

  test('pairwise ids are stable per app, unrelated across apps, and shaped as UUIDs', () => {
    const pupil = newPupilId();
    const appA = randomBytes(32);
    const appB = randomBytes(32);
    assert.equal(pairwisePupilId(appA, pupil), pairwisePupilId(appA, pupil));
    assert.notEqual(pairwisePupilId(appA, pupil), pairwisePupilId(appB, pupil));
    assert.notEqual(pairwisePupilId(appA, pupil), pupil);
    assert.match(
      pairwisePupilId(appA, pupil),
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('key cache', () => {
  test('expires entries after the TTL', () => {
    let now = 1000;
    const cache = new KeyCache<KeyObject>({ ttlMs: 50, now: () => now });
    cache.set('a', createSecretKey(Buffer.from('k')));
    now += 49;
    assert.ok(cache.get('a'));
    now += 1;
    assert.equal(cache.get('a'), undefined);
  });

  test('keeps at most maxEntries, evicting the oldest', () => {
    const cache = new KeyCache<string>({ maxEntries: 2 });
    cache.set('a', '1');
    cache.set('b', '2');
    cache.set('c', '3');
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.get('c'), '3');
  });

  test('deletes by prefix (a whole school)', () => {
    const cache = new KeyCache<KeyObject>();
    cache.set('s1/data/1', createSecretKey(Buffer.from('1')));
    cache.set('s1/key/x', createSecretKey(Buffer.from('2')));
    cache.set('s2/data/1', createSecretKey(Buffer.from('3')));
    cache.deletePrefix('s1/');
    assert.equal(cache.size, 1);
    assert.ok(cache.get('s2/data/1'));
  });
});

describe('local key provider', () => {
  test('wraps under the current key and unwraps with previous ones', async () => {
    const old = randomBytes(32);
    const next = randomBytes(32);
    const before = new LocalKeyProvider(old);
    const wrapped = await before.wrap(Buffer.from('k'.repeat(32)), 'ctx');
    const after = new LocalKeyProvider(next, [old]);
    assert.notEqual(after.currentKekId, before.currentKekId);
    assert.deepEqual(await after.unwrap(wrapped, 'ctx'), Buffer.from('k'.repeat(32)));
    await assert.rejects(after.unwrap(wrapped, 'other context'));
  });

  test('names a missing master key by its fingerprint', async () => {
    const wrapped = await new LocalKeyProvider(randomBytes(32)).wrap(randomBytes(32), 'ctx');
    await assert.rejects(new LocalKeyProvider(randomBytes(32)).unwrap(wrapped, 'ctx'), UnknownKekError);
  });

  test('refuses keys of the wrong size', () => {
    assert.throws(() => new LocalKeyProvider(randomBytes(16)), RangeError);
    assert.throws(() => new LocalKeyProvider(randomBytes(32), [Buffer.from(randomUUID())]), RangeError);
  });
});
