import type { Services } from '../../services.ts';
import {
  analyseCohort,
  gapsReport,
  headline,
  needsMemberships,
  type AnalysisFilter,
  type Reader,
} from './analysis.service.ts';
import {
  gapsTable,
  headlineTable,
  progress8Table,
  residualsTable,
  targetsTable,
  type ReportTable,
} from './report-tables.ts';
import { residualsReport, targetsReport } from './tracking.service.ts';

export const REPORTS = ['headline', 'progress8', 'gaps', 'targets', 'residuals'] as const;
export type ReportName = (typeof REPORTS)[number];

/** Any report as a table, for downloads and the command line. */
export async function reportTable(
  services: Services,
  who: Reader,
  schoolId: string,
  report: ReportName,
  filter: AnalysisFilter & { minGroupSize?: number | undefined; targetPointId?: string | undefined },
): Promise<ReportTable> {
  if (report === 'targets') {
    const result = await targetsReport(services, who, schoolId, {
      assessmentPointId: filter.assessmentPointId,
      facet: filter.facet === 'prediction' ? 'prediction' : undefined,
      targetPointId: filter.targetPointId,
    });
    return targetsTable(result.tracking.bySubject);
  }
  if (report === 'residuals') {
    return residualsTable((await residualsReport(services, who, schoolId, filter)).bySubject);
  }
  const cohort = await analyseCohort(services, who, schoolId, {
    ...filter,
    memberships: report === 'gaps' && needsMemberships(undefined),
  });
  if (report === 'gaps') {
    return gapsTable(gapsReport(cohort, filter.minGroupSize ?? 5).dimensions);
  }
  return report === 'progress8' ? progress8Table(cohort) : headlineTable(cohort, headline(cohort));
}
