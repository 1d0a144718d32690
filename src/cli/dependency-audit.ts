import { spawn } from 'node:child_process';
import path from 'node:path';

/** The severities that fail the audit (docs/security.md): high and critical. */
const FAILING = new Set(['high', 'critical']);

/** A network or service failure npm reports instead of an audit: tolerated in CI when asked. */
const UNREACHABLE =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|audit endpoint|request to .* failed|\b(4\d\d|5\d\d)\b/i;

export interface AuditFinding {
  name: string;
  severity: string;
  /** The advisories behind it (title and address), or the packages it is vulnerable through. */
  via: string[];
  fix: string;
}

export type AuditVerdict =
  | { outcome: 'clean'; counts: Record<string, number>; dependencies: number | undefined }
  | { outcome: 'findings'; findings: AuditFinding[]; counts: Record<string, number> }
  | { outcome: 'unreachable'; reason: string }
  | { outcome: 'unreadable'; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Judges the output of `npm audit --omit=dev --json` (production dependencies only): any high or critical
 * advisory is a finding; an audit npm could not fetch (no network, the registry refusing the audit
 * endpoint) is `unreachable`; anything else it printed is `unreadable` (never taken for a clean audit).
 */
export function judgeAudit(stdout: string): AuditVerdict {
  let report: unknown;
  try {
    report = JSON.parse(stdout);
  } catch {
    return {
      outcome: 'unreadable',
      reason: `npm audit printed no JSON: ${stdout.trim().slice(0, 200) || '(nothing)'}`,
    };
  }
  if (!isRecord(report)) {
    return { outcome: 'unreadable', reason: 'npm audit printed JSON that is not an audit report' };
  }
  const vulnerabilities = report.vulnerabilities;
  const metadata = isRecord(report.metadata) ? report.metadata : undefined;
  if (isRecord(vulnerabilities) && metadata !== undefined && isRecord(metadata.vulnerabilities)) {
    const counts = Object.fromEntries(
      Object.entries(metadata.vulnerabilities).map(([severity, count]) => [severity, Number(count)]),
    );
    const findings: AuditFinding[] = [];
    for (const [name, entry] of Object.entries(vulnerabilities)) {
      if (!isRecord(entry) || !FAILING.has(String(entry.severity))) {
        continue;
      }
      const via = (Array.isArray(entry.via) ? entry.via : []).map((cause: unknown) =>
        isRecord(cause) ? `${String(cause.title)} (${String(cause.url)})` : `through ${String(cause)}`,
      );
      const fix = entry.fixAvailable;
      findings.push({
        name,
        severity: String(entry.severity),
        via,
        fix:
          fix === true
            ? 'npm audit fix'
            : isRecord(fix)
              ? `update ${String(fix.name)} to ${String(fix.version)}${fix.isSemVerMajor === true ? ' (a major version)' : ''}`
              : 'no fix yet',
      });
    }
    const dependencies = isRecord(metadata.dependencies) ? Number(metadata.dependencies.prod) : undefined;
    return findings.length > 0
      ? { outcome: 'findings', findings, counts }
      : { outcome: 'clean', counts, dependencies: Number.isFinite(dependencies) ? dependencies : undefined };
  }
  const message = [report.message, isRecord(report.error) ? report.error.code : undefined, report.statusCode]
    .filter((part) => part !== undefined && part !== '')
    .map(String)
    .join(' ');
  if (message !== '' && UNREACHABLE.test(message)) {
    return { outcome: 'unreachable', reason: message };
  }
  return { outcome: 'unreadable', reason: message === '' ? 'npm audit printed no audit report' : message };
}

/** Runs `npm audit --omit=dev --json` in the repository; resolves with what it printed on stdout. */
export function runNpmAudit(root: string, npm = 'npm'): Promise<string> {
  // npm must run on this Node (24+), found first on PATH.
  const env = {
    ...process.env,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  return new Promise((resolve) => {
    const child = spawn(npm, ['audit', '--omit=dev', '--json'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', (error) => resolve(JSON.stringify({ message: `could not run npm: ${error.message}` })));
    // npm exits non-zero both when it finds advisories and when it cannot audit: the JSON tells which.
    child.on('close', () => resolve(stdout));
  });
}

function describeCounts(given: Record<string, number>): string {
  return ['critical', 'high', 'moderate', 'low', 'info']
    .map((severity) => `${given[severity] ?? 0} ${severity}`)
    .join(', ');
}

/** The lines to print for a verdict, and the exit code: 0 clean, 1 findings, 3 not audited. */
export function reportAudit(
  verdict: AuditVerdict,
  allowUnreachable: boolean,
): { lines: string[]; code: number } {
  if (verdict.outcome === 'clean') {
    return {
      lines: [
        `npm audit: no high or critical advisories in ${verdict.dependencies ?? 'the'} production dependencies (${describeCounts(verdict.counts)}).`,
      ],
      code: 0,
    };
  }
  if (verdict.outcome === 'findings') {
    return {
      lines: [
        `npm audit: ${verdict.findings.length} production dependencies with high or critical advisories (${describeCounts(verdict.counts)}):`,
        ...verdict.findings.map(
          (finding) =>
            `  ${finding.severity} ${finding.name}: ${finding.via.join('; ')} — fix: ${finding.fix}`,
        ),
      ],
      code: 1,
    };
  }
  if (verdict.outcome === 'unreachable') {
    return {
      lines: [
        `npm audit: NOT AUDITED — the registry's audit service could not be reached (${verdict.reason}).`,
        allowUnreachable
          ? '  Tolerated (--allow-unreachable): run ./haven audit-deps where the registry is reachable before a release.'
          : '  Run it again where the npm registry is reachable, or pass --allow-unreachable to tolerate this.',
      ],
      code: allowUnreachable ? 0 : 3,
    };
  }
  return { lines: [`npm audit: could not read its answer: ${verdict.reason}`], code: 3 };
}
