import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DataDirectoryLockedError, lockDataDirectory } from './process-lock.ts';

const freshDir = (): string => mkdtempSync(path.join(tmpdir(), 'haven-lock-'));

test('takes the lock, writes our pid and removes it on release', () => {
  const dir = freshDir();
  const lock = lockDataDirectory(dir);
  assert.equal(readFileSync(path.join(dir, 'haven.lock'), 'utf8').trim(), String(process.pid));
  lock.release();
  assert.equal(existsSync(path.join(dir, 'haven.lock')), false);
});

test('refuses while another live process holds the directory, naming its pid', async () => {
  const dir = freshDir();
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  try {
    writeFileSync(path.join(dir, 'haven.lock'), `${holder.pid}\n`);
    assert.throws(
      () => lockDataDirectory(dir),
      (error: unknown) =>
        error instanceof DataDirectoryLockedError &&
        error.message.includes(`pid ${holder.pid}`) &&
        error.message.includes('--data'),
    );
  } finally {
    holder.kill('SIGKILL');
  }
});

test('takes over a lock left by a process that died', async () => {
  const dir = freshDir();
  const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => dead.on('exit', resolve));
  writeFileSync(path.join(dir, 'haven.lock'), `${dead.pid}\n`);
  const lock = lockDataDirectory(dir);
  assert.equal(readFileSync(path.join(dir, 'haven.lock'), 'utf8').trim(), String(process.pid));
  lock.release();
});

test('does not remove a lock that another process has since taken', () => {
  const dir = freshDir();
  const lock = lockDataDirectory(dir);
  writeFileSync(path.join(dir, 'haven.lock'), '1\n');
  lock.release();
  assert.equal(readFileSync(path.join(dir, 'haven.lock'), 'utf8').trim(), '1');
});
