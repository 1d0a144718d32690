import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { judgeAudit, reportAudit, runNpmAudit } from './dependency-audit.ts';

/** An `npm audit --json` report (auditReportVersion 2, the shape npm 7 and later print). */
function report(vulnerabilities: Record<string, unknown>, counts: Record<string, number>): string {
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: {
      vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts },
      dependencies: { prod: 312, dev: 0, optional: 0, peer: 0, peerOptional: 0, total: 312 },
    },
  });
}

const HIGH = report(
  {
    'fast-xml-thing': {
      name: 'fast-xml-thing',
      severity: 'high',
      isDirect: false,
      via: [
        {
          source: 1099999,
          name: 'fast-xml-thing',
          title: 'Prototype pollution in fast-xml-thing',
          url: 'https://github.com/advisories/GHSA-xxxx-yyyy-zzzz',
          severity: 'high',
          range: '<4.2.1',
        },
      ],
      effects: ['some-parser'],
      range: '<4.2.1',
      nodes: ['node_modules/fast-xml-thing'],
      fixAvailable: { name: 'some-parser', version: '3.0.0', isSemVerMajor: true },
    },
    'some-parser': {
      name: 'some-parser',
      severity: 'critical',
      isDirect: true,
      via: ['fast-xml-thing'],
      effects: [],
      range: '2.x',
      nodes: ['node_modules/some-parser'],
      fixAvailable: true,
    },
  },
  { high: 1, critical: 1, total: 2 },
);

const MODERATE_ONLY = report(
  {
    'slow-thing': {
      name: 'slow-thing',
      severity: 'moderate',
      isDirect: true,
      via: [
        {
          title: 'ReDoS in slow-thing',
          url: 'https://github.com/advisories/GHSA-aaaa',
          severity: 'moderate',
        },
      ],
      effects: [],
      fixAvailable: false,
    },
  },
  { moderate: 1, total: 1 },
);

describe('npm audit verdict', () => {
  test('no advisories, or moderate and low ones only, pass', () => {
    const clean = judgeAudit(report({}, { total: 0 }));
    assert.equal(clean.outcome, 'clean');
    assert.deepEqual(reportAudit(clean, false), {
      lines: [
        'npm audit: no high or critical advisories in 312 production dependencies (0 critical, 0 high, 0 moderate, 0 low, 0 info).',
      ],
      code: 0,
    });
    assert.equal(judgeAudit(MODERATE_ONLY).outcome, 'clean');
  });

  test('the check bites: a high or critical advisory fails, naming the package, advisory and fix', () => {
    const verdict = judgeAudit(HIGH);
    assert.equal(verdict.outcome, 'findings');
    const printed = reportAudit(verdict, true);
    assert.equal(printed.code, 1, '--allow-unreachable never excuses a real finding');
    assert.deepEqual(printed.lines, [
      'npm audit: 2 production dependencies with high or critical advisories (1 critical, 1 high, 0 moderate, 0 low, 0 info):',
      '  high fast-xml-thing: Prototype pollution in fast-xml-thing (https://github.com/advisories/GHSA-xxxx-yyyy-zzzz) — fix: update some-parser to 3.0.0 (a major version)',
      '  critical some-parser: through fast-xml-thing — fix: npm audit fix',
    ]);
  });

  test('an unreachable registry fails unless tolerated, and says it was not audited', () => {
    for (const answer of [
      {
        message:
          'request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org',
        error: { summary: '', detail: '' },
      },
      {
        message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
        statusCode: 405,
      },
    ]) {
      const verdict = judgeAudit(JSON.stringify(answer));
      assert.equal(verdict.outcome, 'unreachable');
      assert.equal(reportAudit(verdict, false).code, 3);
      const tolerated = reportAudit(verdict, true);
      assert.equal(tolerated.code, 0);
      assert.match(tolerated.lines[0] ?? '', /^npm audit: NOT AUDITED/);
    }
  });

  test('anything else npm prints is never taken for a clean audit', () => {
    for (const output of ['', 'npm ERR! something', '{"message":"ELOCKVERIFY lock file is broken"}', '[]']) {
      const verdict = judgeAudit(output);
      assert.equal(verdict.outcome, 'unreadable', output);
      assert.equal(reportAudit(verdict, true).code, 3);
    }
  });

  test('runs npm audit --omit=dev --json and reads its stdout whatever its exit code', async () => {
    // A stand-in npm that records its arguments and prints a report with a high advisory, exiting 1 as npm does.
    const dir = mkdtempSync(path.join(tmpdir(), 'haven-fake-npm-'));
    const fake = path.join(dir, 'npm');
    writeFileSync(path.join(dir, 'report.json'), HIGH);
    writeFileSync(fake, `#!/bin/sh\necho "$@" > "${dir}/args"\ncat "${dir}/report.json"\nexit 1\n`);
    chmodSync(fake, 0o755);
    const stdout = await runNpmAudit(dir, fake);
    assert.equal(judgeAudit(stdout).outcome, 'findings');
    assert.equal(readFileSync(path.join(dir, 'args'), 'utf8').trim(), 'audit --omit=dev --json');
    const missing = await runNpmAudit(dir, path.join(dir, 'no-such-npm'));
    assert.equal(judgeAudit(missing).outcome, 'unreadable');
    rmSync(dir, { recursive: true, force: true });
  });
});
