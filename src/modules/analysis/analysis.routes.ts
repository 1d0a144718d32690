import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { csvDownload } from '../../platform/http/csv.ts';
import { xlsxDownload } from './xlsx.ts';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import {
  analyseCohort,
  analysisOptions,
  gapsReport,
  headline,
  needsMemberships,
  readerOf,
  type AnalysedCohort,
  type AnalysisFilter,
} from './analysis.service.ts';
import { attainment8 } from './attainment8.ts';
import { reportTable } from './reports.service.ts';
import { flightPath, residualsReport, targetsReport } from './tracking.service.ts';
import {
  AnalysisOptionsResponse,
  AnalysisQuery,
  ExportParams,
  ExportQuery,
  FlightPathResponse,
  PupilParams,
  ResidualsQuery,
  ResidualsResponse,
  TargetsQuery,
  TargetsResponse,
  GapsQuery,
  GapsResponse,
  HeadlineResponse,
  Progress8Response,
  SchoolParams,
} from './analysis.schema.ts';

const errors = errorResponses(400, 401, 403, 404, 409);

/** A report's query string as the service's filter. */
function filterOf(query: Static<typeof AnalysisQuery>): AnalysisFilter {
  return {
    assessmentPointId: query.assessmentPoint,
    facet: query.facet,
    yearGroup: query.yearGroup,
    estimates: query.estimates,
  };
}

function scope(cohort: AnalysedCohort) {
  return {
    assessmentPoint: cohort.point ?? null,
    facet: cohort.facet,
    estimates: cohort.estimates.id,
    ...(cohort.empty === undefined ? {} : { empty: cohort.empty }),
  };
}

/** Attainment and progress for school leaders: headline figures and pupil-level Progress 8. */
export const analysisRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const readers = requireSchoolPermission(services, 'analysis.read');
  const cohortFor = (
    request: FastifyRequest,
    schoolId: string,
    query: Static<typeof AnalysisQuery>,
    extra: Pick<AnalysisFilter, 'memberships'> = {},
  ) => analyseCohort(services, readerOf(signedIn(request)), schoolId, { ...filterOf(query), ...extra });

  app.get(
    '/api/v1/schools/:schoolId/analysis/options',
    {
      config: { access: 'school:analysis.read' },
      onRequest: readers,
      schema: {
        summary: 'What a report can be run for: assessment points (with their facets) and estimates years',
        tags: ['analysis'],
        params: SchoolParams,
        response: { 200: AnalysisOptionsResponse, ...errors },
      },
    },
    async (request) => analysisOptions(services, request.params.schoolId),
  );

  app.get(
    '/api/v1/schools/:schoolId/analysis/headline',
    {
      config: { access: 'school:analysis.read' },
      onRequest: readers,
      schema: {
        summary:
          'Headline measures: Attainment 8, Progress 8 with its interval and banding, basics, EBacc, subject averages',
        tags: ['analysis'],
        params: SchoolParams,
        querystring: AnalysisQuery,
        response: { 200: HeadlineResponse, ...errors },
      },
    },
    async (request) => {
      const cohort = await cohortFor(request, request.params.schoolId, request.query);
      return { scope: scope(cohort), ...headline(cohort) };
    },
  );

  app.get(
    '/api/v1/schools/:schoolId/analysis/gaps',
    {
      config: { access: 'school:analysis.read' },
      onRequest: readers,
      schema: {
        summary:
          'Every measure by subgroup (sex, disadvantaged, FSM, SEN, EAL, ethnicity, prior band, class, …) with the gap to the rest of the cohort; small groups suppressed',
        tags: ['analysis'],
        params: SchoolParams,
        querystring: GapsQuery,
        response: { 200: GapsResponse, ...errors },
      },
    },
    async (request) => {
      const dimensions = request.query.dimension === undefined ? undefined : [request.query.dimension];
      const cohort = await cohortFor(request, request.params.schoolId, request.query, {
        memberships: needsMemberships(dimensions),
      });
      const report = gapsReport(cohort, request.query.minGroupSize, dimensions);
      return { scope: scope(cohort), minGroupSize: request.query.minGroupSize, ...report };
    },
  );

  app.get(
    '/api/v1/schools/:schoolId/analysis/progress8',
    {
      config: { access: 'school:analysis.read' },
      onRequest: readers,
      schema: {
        summary:
          'Each pupil’s Attainment 8 slots (with why), Progress 8 and element scores, by pseudonymous id',
        tags: ['analysis'],
        params: SchoolParams,
        querystring: AnalysisQuery,
        response: { 200: Progress8Response, ...errors },
      },
    },
    async (request) => {
      const cohort = await cohortFor(request, request.params.schoolId, request.query);
      return {
        scope: scope(cohort),
        pupils: cohort.pupils.map((entry) => ({
          pupilId: entry.pupil.id,
          yearGroup: entry.pupil.year_group,
          prior: {
            average: entry.prior.average,
            group: entry.prior.group,
            band: entry.prior.band,
            ...(entry.prior.missing === undefined ? {} : { missing: entry.prior.missing }),
          },
          attainment8: {
            total: entry.attainment8.total,
            elements: entry.attainment8.elements,
            // The explanation only here, where it is shown: a cohort's reports need the score alone.
            slots: attainment8(entry.grades).slots,
          },
          progress8: entry.progress8.progress8,
          progress8Elements: entry.progress8.elements,
          estimate: entry.progress8.estimate,
          ...(entry.progress8.missing === undefined ? {} : { progress8Missing: entry.progress8.missing }),
        })),
      };
    },
  );

  app.get(
    '/api/v1/schools/:schoolId/analysis/targets',
    {
      config: { access: 'school:analysis.read' },
      onRequest: readers,
      schema: {
        summary:
          'Grades against targets: above / on / below for each pupil and subject, by subject and class',
        tags: ['analysis'],
        params: SchoolParams,
        querystring: TargetsQuery,
        response: { 200: TargetsResponse, ...errors },
      },
    },
    async (request) =>
      targetsReport(services, readerOf(signedIn(request)), request.params.schoolId, {
        assessmentPointId: request.query.assessmentPoint,
        facet: request.query.facet,
        targetPointId: request.query.targetPoint,
      }),
  );

  app.get(
    '/api/v1/schools/:schoolId/analysis/residuals',
    {
      config: { access: 'school:analysis.read' },
      onRequest: readers,
      schema: {
        summary:
          'Subject residuals: how pupils do in a subject against their own other subjects, by subject and class',
        tags: ['analysis'],
        params: SchoolParams,
        querystring: ResidualsQuery,
        response: { 200: ResidualsResponse, ...errors },
      },
    },
    async (request) =>
      residualsReport(services, readerOf(signedIn(request)), request.params.schoolId, {
        assessmentPointId: request.query.assessmentPoint,
        facet: request.query.facet,
      }),
  );

  app.get(
    '/api/v1/schools/:schoolId/analysis/flight-path/:pupilId',
    {
      config: { access: 'school:analysis.read' },
      onRequest: readers,
      schema: {
        summary: 'One pupil’s grades across every assessment point (achieved, targets, predictions)',
        tags: ['analysis'],
        params: PupilParams,
        response: { 200: FlightPathResponse, ...errors },
      },
    },
    async (request) =>
      flightPath(services, readerOf(signedIn(request)), request.params.schoolId, request.params.pupilId),
  );

  app.get(
    '/api/v1/schools/:schoolId/analysis/:report/export',
    {
      config: { access: 'school:analysis.read' },
      onRequest: readers,
      schema: {
        summary: 'A report as a CSV or XLSX download (same filters as the report)',
        tags: ['analysis'],
        params: ExportParams,
        querystring: ExportQuery,
        response: { 200: Type.Unknown({ description: 'CSV text, or an XLSX workbook' }), ...errors },
      },
    },
    async (request, reply) => {
      const table = await reportTable(
        services,
        readerOf(signedIn(request)),
        request.params.schoolId,
        request.params.report,
        {
          ...filterOf(request.query),
          minGroupSize: request.query.minGroupSize,
          targetPointId: request.query.targetPoint,
        },
      );
      const name = `haven-${request.params.report}.${request.query.format}`;
      void reply.header('content-disposition', `attachment; filename="${name}"`);
      if (request.query.format === 'csv') {
        void reply.header('content-type', 'text/csv; charset=utf-8');
        return csvDownload(table.header, table.rows);
      }
      void reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      return reply.send(await xlsxDownload(request.params.report, table));
    },
  );
};
