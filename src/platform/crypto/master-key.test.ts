import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { ConfigError } from '../config.ts';
import { createLogger } from '../logger.ts';
import { kekFingerprint } from './key-provider.ts';
import { loadKeyProvider, removeUnusedPreviousKeyFiles, replaceMasterKeyFile } from './master-key.ts';

const freshDir = (): string => mkdtempSync(path.join(tmpdir(), 'haven-keys-'));
function capture(): { log: ReturnType<typeof createLogger>; text: () => string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: createLogger('info', sink), text: () => lines.join('') };
}
const embedded = (dataDir: string) => ({ dataDir, databaseUrl: undefined });
const server = (dataDir: string) => ({ dataDir, databaseUrl: 'postgres://haven@db/haven' });

describe('master key', () => {
  test('HAVEN_MASTER_KEY (base64, 32 bytes) is used as it is', () => {
    const key = randomBytes(32);
    const provider = loadKeyProvider(server(freshDir()), capture().log, {
      HAVEN_MASTER_KEY: key.toString('base64'),
    });
    assert.equal(provider.currentKekId, kekFingerprint(key));
  });

  for (const [what, value, message] of [
    [
      'not base64',
      'not base64!!',
      /^HAVEN_MASTER_KEY is not base64; create one with: openssl rand -base64 32\.$/,
    ],
    [
      'the wrong length',
      randomBytes(16).toString('base64'),
      /^HAVEN_MASTER_KEY must decode to 32 bytes \(got 16\)/,
    ],
  ] as const) {
    test(`a HAVEN_MASTER_KEY that is ${what} is refused with one line`, () => {
      assert.throws(
        () => loadKeyProvider(server(freshDir()), capture().log, { HAVEN_MASTER_KEY: value }),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    });
  }

  test('the embedded mode creates <data>/keys/master.key with mode 0600 and warns loudly', () => {
    const dataDir = freshDir();
    const { log, text } = capture();
    const first = loadKeyProvider(embedded(dataDir), log, {});
    const file = path.join(dataDir, 'keys', 'master.key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.match(text(), /Production needs an external key/);
    assert.equal(
      loadKeyProvider(embedded(dataDir), log, {}).currentKekId,
      first.currentKekId,
      'the same key next time',
    );
  });

  test('server mode (DATABASE_URL) without a key refuses to start', () => {
    assert.throws(
      () => loadKeyProvider(server(freshDir()), capture().log, {}),
      /^ConfigError: No master key: set HAVEN_MASTER_KEY/,
    );
  });

  test('a key file others can read is refused', () => {
    const dataDir = freshDir();
    mkdirSync(path.join(dataDir, 'keys'));
    const file = path.join(dataDir, 'keys', 'master.key');
    writeFileSync(file, randomBytes(32).toString('base64'));
    chmodSync(file, 0o644);
    assert.throws(
      () => loadKeyProvider(embedded(dataDir), capture().log, {}),
      (error: unknown) => error instanceof ConfigError && /mode 0644\); run: chmod 600/.test(error.message),
    );
  });

  test('HAVEN_MASTER_KEY_FILE names a key file; a missing one is refused rather than created', () => {
    const dir = freshDir();
    const file = path.join(dir, 'kek');
    assert.throws(
      () => loadKeyProvider(embedded(dir), capture().log, { HAVEN_MASTER_KEY_FILE: file }),
      ConfigError,
    );
    const key = randomBytes(32);
    writeFileSync(file, key.toString('base64'), { mode: 0o600 });
    assert.equal(
      loadKeyProvider(server(dir), capture().log, { HAVEN_MASTER_KEY_FILE: file }).currentKekId,
      kekFingerprint(key),
    );
  });

  test('previous keys come from HAVEN_MASTER_KEY_PREVIOUS and previous-*.key files', () => {
    const dataDir = freshDir();
    const old = randomBytes(32);
    const provider = loadKeyProvider(server(dataDir), capture().log, {
      HAVEN_MASTER_KEY: randomBytes(32).toString('base64'),
      HAVEN_MASTER_KEY_PREVIOUS: old.toString('base64'),
    });
    assert.deepEqual(provider.kekIds.slice(1), [kekFingerprint(old)]);
  });

  test('replacing the key file keeps the old key loadable until it is no longer used', () => {
    const dataDir = freshDir();
    const original = loadKeyProvider(embedded(dataDir), capture().log, {});
    const replaced = replaceMasterKeyFile(dataDir);
    assert.notEqual(replaced.currentKekId, original.currentKekId);
    assert.ok(replaced.kekIds.includes(original.currentKekId));
    const reloaded = loadKeyProvider(embedded(dataDir), capture().log, {});
    assert.equal(reloaded.currentKekId, replaced.currentKekId);
    assert.ok(reloaded.kekIds.includes(original.currentKekId), 'a restart in between still reads old keys');
    assert.deepEqual(removeUnusedPreviousKeyFiles(dataDir, new Set([replaced.currentKekId])), [
      original.currentKekId,
    ]);
    assert.deepEqual(readdirSync(path.join(dataDir, 'keys')), ['master.key']);
  });
});
