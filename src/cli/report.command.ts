import type { Command } from 'commander';
import {
  analyseCohort,
  gapsReport,
  headline,
  needsMemberships,
  type AnalysisFilter,
  type Reader,
} from '../modules/analysis/analysis.service.ts';
import { attainment8 } from '../modules/analysis/attainment8.ts';
import { REPORTS, reportTable, type ReportName } from '../modules/analysis/reports.service.ts';
import { residualsReport, targetsReport } from '../modules/analysis/tracking.service.ts';
import type { Services } from '../services.ts';
import type { Facet } from '../modules/curriculum/curriculum.tables.ts';
import { getSchool } from '../modules/organisations/organisations.service.ts';
import { csvDownload } from '../platform/http/csv.ts';
import { configFrom, withServices, type CommonOptions } from './context.ts';
import { UsageError } from './errors.ts';

const FACETS: readonly Facet[] = ['achieved', 'target', 'prediction', 'baseline'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ReportOptions extends CommonOptions {
  school: string;
  assessmentPoint?: string;
  facet?: string;
  yearGroup?: string;
  estimates?: string;
  minGroupSize: string;
  json?: boolean;
  csv?: boolean;
}

function checked(options: ReportOptions): {
  facet: Facet | undefined;
  yearGroup: number | undefined;
  minGroupSize: number;
} {
  if (!UUID.test(options.school)) {
    throw new UsageError(`--school must be a school id (see ./haven school list), got "${options.school}".`);
  }
  if (options.assessmentPoint !== undefined && !UUID.test(options.assessmentPoint)) {
    throw new UsageError('--assessment-point must be an assessment point id (see GET …/analysis/options).');
  }
  const facet = FACETS.find((entry) => entry === options.facet);
  if (options.facet !== undefined && facet === undefined) {
    throw new UsageError(`--facet must be one of ${FACETS.join(', ')}.`);
  }
  const yearGroup = options.yearGroup === undefined ? undefined : Number(options.yearGroup);
  if (yearGroup !== undefined && (!Number.isInteger(yearGroup) || yearGroup < -2 || yearGroup > 14)) {
    throw new UsageError('--year-group must be a year group number, e.g. 11.');
  }
  const minGroupSize = Number(options.minGroupSize);
  if (!Number.isInteger(minGroupSize) || minGroupSize < 3 || minGroupSize > 100) {
    throw new UsageError('--min-group-size must be a whole number from 3 to 100.');
  }
  if (options.json === true && options.csv === true) {
    throw new UsageError('Choose --json or --csv, not both.');
  }
  return { facet, yearGroup, minGroupSize };
}

/** The report's full figures as JSON (the API's shapes). */
async function reportJson(
  services: Services,
  reader: Reader,
  schoolId: string,
  report: ReportName,
  filter: AnalysisFilter,
  minGroupSize: number,
): Promise<unknown> {
  if (report === 'targets') {
    return targetsReport(services, reader, schoolId, {
      assessmentPointId: filter.assessmentPointId,
      facet: filter.facet === 'prediction' ? 'prediction' : undefined,
    });
  }
  if (report === 'residuals') {
    return residualsReport(services, reader, schoolId, filter);
  }
  const cohort = await analyseCohort(services, reader, schoolId, {
    ...filter,
    memberships: report === 'gaps' && needsMemberships(undefined),
  });
  const scope = {
    assessmentPoint: cohort.point ?? null,
    facet: cohort.facet,
    estimates: cohort.estimates.id,
  };
  if (report === 'gaps') {
    return { ...scope, minGroupSize, ...gapsReport(cohort, minGroupSize) };
  }
  if (report === 'progress8') {
    return {
      ...scope,
      pupils: cohort.pupils.map((entry) => ({
        pupilId: entry.pupil.id,
        prior: entry.prior,
        attainment8: attainment8(entry.grades),
        progress8: entry.progress8,
      })),
    };
  }
  return { ...scope, ...headline(cohort) };
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('run an analysis report for a school: headline, progress8, gaps, targets or residuals')
    .argument('<name>', REPORTS.join(' | '))
    .requiredOption('--school <id>', 'the school')
    .option('--assessment-point <id>', 'default: the latest point with grades of the facet')
    .option('--facet <facet>', 'achieved (default), target, prediction or baseline')
    .option('--year-group <n>', 'only this year group')
    .option('--estimates <id>', 'Progress 8 estimates year, e.g. 2023_revised (default: the latest)')
    .option('--min-group-size <n>', 'gaps: groups smaller than this show no figures', '5')
    .option('--json', 'print the report as JSON')
    .option('--csv', 'print the report’s table as CSV')
    .action(async (name: string, options: ReportOptions) => {
      const report = REPORTS.find((entry) => entry === name);
      if (report === undefined) {
        throw new UsageError(`There is no report "${name}"; choose ${REPORTS.join(', ')}.`);
      }
      const { facet, yearGroup, minGroupSize } = checked(options);
      // The command line is the operator's own tool, run on the server: it reads as a school leader
      // would, and the audit log names it as the command line.
      const reader: Reader = {
        actor: {
          userId: 'haven-cli',
          memberships: [{ orgId: options.school, orgKind: 'school', role: 'senior_leader' }],
        },
        userId: 'haven-cli',
        audit: { type: 'cli', id: 'haven-cli' },
      };
      const filter = {
        assessmentPointId: options.assessmentPoint,
        facet,
        yearGroup,
        estimates: options.estimates,
      };
      await withServices(configFrom(options), async (services) => {
        await getSchool(services, options.school);
        if (options.json === true) {
          console.log(
            JSON.stringify(await reportJson(services, reader, options.school, report, filter, minGroupSize)),
          );
          return;
        }
        const table = await reportTable(services, reader, options.school, report, {
          ...filter,
          minGroupSize,
        });
        if (options.csv === true) {
          process.stdout.write(csvDownload(table.header, table.rows));
          return;
        }
        const width = table.header.map((title, column) =>
          Math.max(title.length, ...table.rows.map((row) => String(row[column] ?? '—').length)),
        );
        const line = (cells: ReadonlyArray<string | number | null>) =>
          cells
            .map((cell, column) => String(cell ?? '—').padEnd(width[column] ?? 0))
            .join('  ')
            .trimEnd();
        console.log([line(table.header), ...table.rows.map(line)].join('\n'));
      });
    });
}
