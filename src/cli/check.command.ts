import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import { judgeAudit, reportAudit, runNpmAudit } from './dependency-audit.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('typecheck, lint and format check (npm run check) with the right Node')
    .action(async () => {
      // npm and the tools it runs must find this Node (24+) first on PATH, not an older system one.
      const env = {
        ...process.env,
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      };
      const code = await new Promise<number>((resolve) => {
        const child = spawn('npm', ['run', '--silent', 'check'], { cwd: ROOT, stdio: 'inherit', env });
        child.on('error', () => resolve(1));
        child.on('exit', (exitCode) => resolve(exitCode ?? 1));
      });
      process.exitCode = code;
    });
}

export function registerDependencyAudit(program: Command): void {
  program
    .command('audit-deps')
    .description('npm audit of the production dependencies: fails on any high or critical advisory')
    .option(
      '--allow-unreachable',
      "pass (with a warning) when the registry's audit service cannot be reached, as CI does",
    )
    .action(async (options: { allowUnreachable?: boolean }) => {
      const report = reportAudit(judgeAudit(await runNpmAudit(ROOT)), options.allowUnreachable === true);
      for (const line of report.lines) {
        (report.code === 0 ? console.log : console.error)(line);
      }
      process.exitCode = report.code;
    });
}
