import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { LocalKeyProvider } from './key-provider.ts';

test('derived secrets: the same for every process with the master key, different per purpose and per key', () => {
  const master = randomBytes(32);
  const one = new LocalKeyProvider(master);
  const two = new LocalKeyProvider(Buffer.from(master));
  assert.equal(one.deriveSecret('oauth cookies').length, 32);
  assert.deepEqual(one.deriveSecret('oauth cookies'), two.deriveSecret('oauth cookies'));
  assert.notDeepEqual(one.deriveSecret('oauth cookies'), one.deriveSecret('oauth signing'));
  assert.notDeepEqual(
    one.deriveSecret('oauth cookies'),
    new LocalKeyProvider(randomBytes(32)).deriveSecret('oauth cookies'),
  );
  assert.notDeepEqual(one.deriveSecret('oauth cookies'), master, 'never the master key itself');
});
