import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Type } from 'typebox';
import { Check } from 'typebox/value';
import { runImport, type ImportOptions, type ImportOutcome } from '../modules/imports/imports.service.ts';
import { describeIssue } from '../modules/imports/report.ts';
import { fileSource } from '../modules/imports/source.ts';
import { getSchool } from '../modules/organisations/organisations.service.ts';
import { configFrom, withServices, type CommonOptions } from './context.ts';
import { EXIT, UsageError } from './errors.ts';

interface ImportCommandOptions extends CommonOptions {
  school: string;
  format?: string;
  assessmentPoint?: string;
  mapping?: string;
  subject: string[];
  dryRun?: boolean;
  json?: boolean;
  pseudonymousUpn?: boolean;
  names: boolean;
}

const CLI_ACTOR = { type: 'cli' as const, id: 'haven-cli' };
const TEMPLATES = ['pupils', 'results', 'marksheet'] as const;

/** A mapping file: {"columns": {"Legal Surname": "surname", "Notes": null}, "subjects": {"Eng Litt": "english_literature"}}. */
async function readMapping(file: string): Promise<Pick<ImportOptions, 'columns' | 'subjects'>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new UsageError(`--mapping ${file} is not a readable JSON file.`);
  }
  if (!Check(MappingFile, parsed)) {
    throw new UsageError(
      '--mapping must hold {"columns": {"File header": "field" or null}, "subjects": {"School name": "subject_code"}}.',
    );
  }
  return { columns: parsed.columns, subjects: parsed.subjects };
}

const MappingFile = Type.Object({
  columns: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]))),
  subjects: Type.Optional(Type.Record(Type.String(), Type.String())),
});

function subjectFlags(values: string[]): Record<string, string> {
  const subjects: Record<string, string> = {};
  for (const value of values) {
    const at = value.lastIndexOf('=');
    if (at <= 0 || at === value.length - 1) {
      throw new UsageError(`--subject "${value}" should look like --subject "Eng Litt=english_literature".`);
    }
    subjects[value.slice(0, at).trim()] = value.slice(at + 1).trim();
  }
  return subjects;
}

function printOutcome(outcome: ImportOutcome): void {
  const { report } = outcome;
  const counts = Object.entries(report.counts).map(
    ([name, count]) => `${count} ${name.replaceAll('_', ' ')}`,
  );
  console.log(`File: ${report.format}; read ${counts.length > 0 ? counts.join(', ') : 'nothing'}.`);
  for (const issue of report.errors) {
    console.log(`  error: ${describeIssue(issue)}`);
  }
  if (report.omitted.errors > 0) {
    console.log(`  … and ${report.omitted.errors} more errors`);
  }
  for (const issue of report.warnings.slice(0, 50)) {
    console.log(`  warning: ${describeIssue(issue)}`);
  }
  const hidden = report.warnings.length - Math.min(50, report.warnings.length) + report.omitted.warnings;
  if (hidden > 0) {
    console.log(`  … and ${hidden} more warnings (--json lists them)`);
  }
  if (outcome.status === 'refused') {
    console.log(`Refused: ${report.errors.length + report.omitted.errors} error(s); nothing was written.`);
  } else if (outcome.status === 'validated') {
    console.log('Dry run: the file is valid; nothing was written.');
  } else {
    const written = Object.entries(outcome.written).map(
      ([name, count]) => `${count} ${name.replaceAll('_', ' ')}`,
    );
    console.log(`Imported: ${written.join(', ')}.`);
  }
  console.log(outcome.importId);
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import a pupils or results file (CSV, XLSX, CTF XML or a OneRoster 1.2 zip) into a school; nothing is written unless every row is valid',
    )
    .argument('<file>', 'the file to import')
    .requiredOption('--school <id>', 'the school to import into')
    .option('--format <template>', 'pupils, results or marksheet (guessed from the headers when absent)')
    .option(
      '--assessment-point <name>',
      'for a marksheet without an assessment point column: the point its grades belong to',
    )
    .option('--mapping <file>', 'JSON column and subject mapping for this school’s layout')
    .option(
      '--subject <name=code>',
      'what one of the school’s subject names means (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option('--dry-run', 'check the file and print the report; write nothing')
    .option('--pseudonymous-upn', 'the UPN column holds the school’s own pseudonymous ids, not DfE UPNs')
    .option('--no-names', 'do not load pupils’ names even when the file has them')
    .option('--json', 'print the outcome and report as JSON')
    .action(async (file: string, options: ImportCommandOptions) => {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(options.school)) {
        throw new UsageError(
          `--school must be a school id (see ./haven school list), got "${options.school}".`,
        );
      }
      const template = TEMPLATES.find((name) => name === options.format);
      if (options.format !== undefined && template === undefined) {
        throw new UsageError(`--format must be pupils, results or marksheet (got "${options.format}").`);
      }
      const mapping = options.mapping === undefined ? {} : await readMapping(options.mapping);
      const subjects = { ...mapping.subjects, ...subjectFlags(options.subject) };
      const source = await fileSource(file).catch(() => {
        throw new UsageError(`${file} is not a file that can be read.`);
      });
      const outcome = await withServices(configFrom(options), async (services) => {
        await getSchool(services, options.school);
        return runImport(services, {
          schoolId: options.school,
          source,
          dryRun: options.dryRun === true,
          actor: CLI_ACTOR,
          options: {
            template,
            assessmentPoint: options.assessmentPoint,
            columns: mapping.columns,
            subjects,
            pseudonymousUpn: options.pseudonymousUpn === true,
            noNames: !options.names,
          },
          onProgress:
            options.json === true
              ? undefined
              : ({ phase, rows }) => process.stderr.write(`\r${phase} … ${rows} rows`),
        });
      });
      if (options.json !== true) {
        process.stderr.write('\n');
      }
      if (options.json === true) {
        console.log(JSON.stringify(outcome));
      } else {
        printOutcome(outcome);
      }
      process.exitCode = outcome.status === 'refused' ? EXIT.refused : EXIT.done;
    });
}
