import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RELIABILITY_FILES } from './reliability.command.ts';
import { ROOT } from './node-child.ts';

test('the reliability suite names files that exist, and every matrix, crash and fuzz test', () => {
  for (const file of RELIABILITY_FILES) {
    assert.ok(existsSync(path.join(ROOT, file)), `${file} exists`);
  }
  const evidence = readdirSync(path.join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts') && /matrix|crash|fuzz/.test(file))
    .map((file) => `test/${file.split(path.sep).join('/')}`);
  assert.ok(evidence.length >= 6, 'the evidence files are found');
  for (const file of evidence) {
    assert.ok(RELIABILITY_FILES.includes(file), `${file} is in the reliability suite`);
  }
});
