// The backup file format on its own (no database): what goes in comes out, across record boundaries,
// and a file cut at a record boundary, with its checksum made again, is still refused.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BackupFileError, RECORD_BYTES, TAG_BYTES, writeBackupFile } from './backup-format.ts';
import { decryptBackupFile, verifyBackupFile } from './backup-reader.ts';

const key = { id: 'test-key', key: randomBytes(32) };
const header = {
  createdAt: '2026-12-04T13:00:00.000Z',
  database: 'embedded' as const,
  havenVersion: '0.1.0',
};

async function* pieces(data: Buffer): AsyncGenerator<Buffer> {
  // Uneven pieces, as a pipe delivers them.
  for (let at = 0; at < data.length; at += 300_001) {
    yield data.subarray(at, at + 300_001);
  }
}

test('a dump of two and a half records comes back byte for byte; the file is 0600', async () => {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'haven-format-')), 'x.bak');
  const data = randomBytes(Math.floor(RECORD_BYTES * 2.5));
  const written = await writeBackupFile(file, pieces(data), header, key);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const whole = await readFile(file);
  assert.equal(written.sha256, createHash('sha256').update(whole).digest('hex'));
  const opened = await verifyBackupFile(file, [key]);
  assert.equal(opened.sha256, written.sha256);
  assert.deepEqual(opened.header, { format: 1, ...header, keyId: key.id, salt: opened.header.salt });
  const back: Buffer[] = [];
  for await (const chunk of decryptBackupFile(file, [key])) {
    back.push(chunk);
  }
  assert.ok(Buffer.concat(back).equals(data));
});

test('dropping the last record and making the checksum again is refused (the record before is not last)', async () => {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'haven-format-')), 'x.bak');
  const data = randomBytes(RECORD_BYTES + 10);
  await writeBackupFile(file, pieces(data), header, key);
  const whole = await readFile(file);
  const lastRecord = 4 + 10 + TAG_BYTES;
  const cut = whole.subarray(0, whole.length - 32 - lastRecord);
  await writeFile(`${file}.cut`, Buffer.concat([cut, createHash('sha256').update(cut).digest()]));
  await assert.rejects(verifyBackupFile(`${file}.cut`, [key]), /altered after it was written/);
});

test('a file that is not a backup, and a format this Haven does not read, are refused in one line', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'haven-format-'));
  await writeFile(path.join(dir, 'notes.txt'), 'hello');
  await assert.rejects(verifyBackupFile(path.join(dir, 'notes.txt'), [key]), /is not a Haven backup/);
  const future = Buffer.from(JSON.stringify({ format: 2 }));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(future.length);
  const body = Buffer.concat([Buffer.from('HAVENBAK'), length, future]);
  await writeFile(
    path.join(dir, 'future.bak'),
    Buffer.concat([body, createHash('sha256').update(body).digest()]),
  );
  await assert.rejects(
    verifyBackupFile(path.join(dir, 'future.bak'), [key]),
    (error: unknown) =>
      error instanceof BackupFileError && /format 2 backup; this Haven reads format 1/.test(error.message),
  );
});
