import type { Command } from 'commander';
import {
  analyseCohort,
  gapsReport,
  headline,
  residualsReport,
  targetsReport,
  type Reader,
} from '../modules/analysis/analysis.service.ts';
import { DIMENSIONS } from '../modules/analysis/gaps.ts';
import type { Facet } from '../modules/curriculum/curriculum.tables.ts';
import { getSchool } from '../modules/organisations/organisations.service.ts';
import { csvDownload } from '../platform/http/csv.ts';
import { configFrom, withServices, type CommonOptions } from './context.ts';
import { UsageError } from './errors.ts';

const REPORTS = ['headline', 'progress8', 'gaps', 'targets', 'residuals'] as const;
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

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
const fixed = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '—' : value.toFixed(digits);

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
        if (report === 'targets') {
          const result = await targetsReport(services, reader, options.school, {
            assessmentPointId: options.assessmentPoint,
            facet: facet === 'prediction' ? 'prediction' : undefined,
          });
          if (options.json === true) {
            console.log(JSON.stringify(result));
          } else if (options.csv === true) {
            process.stdout.write(
              csvDownload(
                ['subject', 'above', 'on', 'below', 'total'],
                result.tracking.bySubject.map((row) => [
                  row.subjectName,
                  row.above,
                  row.on,
                  row.below,
                  row.total,
                ]),
              ),
            );
          } else {
            const { above, on, below, total } = result.tracking.overall;
            console.log(
              result.empty ??
                `Against targets (${result.targetPoint?.name ?? ''}): ${above} above, ${on} on, ${below} below, of ${total}.`,
            );
          }
          return;
        }
        if (report === 'residuals') {
          const result = await residualsReport(services, reader, options.school, filter);
          if (options.json === true) {
            console.log(JSON.stringify(result));
          } else {
            const rows = result.bySubject.map((row) => [
              row.subjectName,
              row.pupils,
              fixed(row.meanResidual, 3),
            ]);
            process.stdout.write(
              options.csv === true
                ? csvDownload(['subject', 'pupils', 'mean residual'], rows)
                : `${rows.map((row) => row.join('  ')).join('\n')}\n`,
            );
          }
          return;
        }
        const cohort = await analyseCohort(services, reader, options.school, filter);
        if (report === 'gaps') {
          const result = await gapsReport(services, options.school, cohort, minGroupSize, DIMENSIONS);
          if (options.json === true) {
            console.log(JSON.stringify({ minGroupSize, ...result }));
            return;
          }
          const rows = result.dimensions.flatMap((dimension) =>
            dimension.groups.map((group) => [
              dimension.dimension,
              group.value,
              group.suppressed ? 'suppressed' : group.pupils,
              fixed(group.measures?.attainment8),
              fixed(group.gaps?.attainment8),
              fixed(group.measures?.progress8),
              fixed(group.gaps?.progress8),
            ]),
          );
          const header = ['dimension', 'group', 'pupils', 'attainment 8', 'gap', 'progress 8', 'gap'];
          process.stdout.write(
            options.csv === true
              ? csvDownload(header, rows)
              : `${[header, ...rows].map((row) => row.join('  ')).join('\n')}\n`,
          );
          return;
        }
        if (report === 'progress8') {
          const rows = cohort.pupils.map((entry) => [
            entry.pupil.id,
            entry.prior.average,
            entry.prior.group,
            entry.attainment8.total,
            entry.progress8.progress8 === null ? '' : entry.progress8.progress8.toFixed(3),
            entry.progress8.missing ?? '',
          ]);
          const header = [
            'pupil id',
            'KS2 average',
            'prior attainment group',
            'attainment 8',
            'progress 8',
            'why no progress 8',
          ];
          if (options.json === true) {
            console.log(
              JSON.stringify(
                cohort.pupils.map((entry) => ({
                  pupilId: entry.pupil.id,
                  prior: entry.prior,
                  attainment8: entry.attainment8,
                  progress8: entry.progress8,
                })),
              ),
            );
          } else {
            process.stdout.write(csvDownload(header, rows));
          }
          return;
        }
        const figures = headline(cohort);
        if (options.json === true) {
          console.log(
            JSON.stringify({
              assessmentPoint: cohort.point ?? null,
              facet: cohort.facet,
              estimates: cohort.estimates.id,
              ...figures,
            }),
          );
          return;
        }
        const lines: Array<[string, string | number]> = [
          ['assessment point', `${cohort.point?.name ?? '—'} (${cohort.facet})`],
          ['pupils', figures.pupils],
          ['Attainment 8', fixed(figures.attainment8)],
          [
            'Progress 8',
            figures.progress8 === null
              ? (figures.progress8Missing ?? '—')
              : `${figures.progress8.progress8.toFixed(2)} (95% CI ${figures.progress8.lower.toFixed(2)} to ${figures.progress8.upper.toFixed(2)}, ${figures.progress8.banding.replaceAll('_', ' ')}; ${cohort.estimates.id} estimates)`,
          ],
          ['basics 4+', percent(figures.basicsStandard)],
          ['basics 5+', percent(figures.basicsStrong)],
          ['EBacc entry', percent(figures.ebaccEntry)],
          ['EBacc APS', fixed(figures.ebaccAps)],
        ];
        if (options.csv === true) {
          process.stdout.write(csvDownload(['measure', 'value'], lines));
        } else {
          console.log(
            cohort.empty ?? lines.map(([label, value]) => `${label.padEnd(18)}${value}`).join('\n'),
          );
        }
      });
    });
}
