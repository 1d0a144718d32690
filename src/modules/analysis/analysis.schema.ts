import { Type } from 'typebox';
import { DIMENSIONS } from './gaps.ts';

export const SchoolParams = Type.Object({ schoolId: Type.String({ format: 'uuid' }) });

export const AnalysisQuery = Type.Object({
  assessmentPoint: Type.Optional(
    Type.String({ format: 'uuid', description: 'Default: the latest point with grades of the facet' }),
  ),
  facet: Type.Optional(
    Type.Union(
      [
        Type.Literal('achieved'),
        Type.Literal('target'),
        Type.Literal('prediction'),
        Type.Literal('baseline'),
      ],
      {
        description: 'Default: achieved; predictions give a projected Progress 8',
      },
    ),
  ),
  yearGroup: Type.Optional(Type.Integer({ minimum: -2, maximum: 14 })),
  estimates: Type.Optional(
    Type.String({ pattern: '^\\d{4}_(provisional|revised)$', description: 'Default: the latest' }),
  ),
});

const Nullable = <T extends ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);

const Scope = Type.Object({
  assessmentPoint: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  facet: Type.String(),
  estimates: Type.String(),
  empty: Type.Optional(Type.String({ description: 'Why there is nothing to show, when there is nothing' })),
});

export const HeadlineResponse = Type.Object({
  scope: Scope,
  pupils: Type.Integer(),
  attainment8: Nullable(Type.Number()),
  progress8: Type.Union([
    Type.Object({
      pupils: Type.Integer(),
      progress8: Type.Number(),
      lower: Type.Number(),
      upper: Type.Number(),
      banding: Type.String(),
      elements: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
    }),
    Type.Null(),
  ]),
  progress8Missing: Type.Optional(Type.String()),
  pupilsWithProgress8: Type.Integer(),
  basicsStandard: Nullable(Type.Number({ description: 'Share (0–1) with grade 4+ in English and maths' })),
  basicsStrong: Nullable(Type.Number({ description: 'Share (0–1) with grade 5+ in English and maths' })),
  ebaccEntry: Nullable(Type.Number()),
  ebaccAps: Nullable(Type.Number()),
  subjects: Type.Array(
    Type.Object({
      subject: Type.String(),
      subjectName: Type.String(),
      pupils: Type.Integer(),
      averagePoints: Type.Number(),
    }),
  ),
});

const Slot = Type.Object({
  element: Type.String(),
  position: Type.Integer(),
  subject: Type.Optional(Type.String()),
  subjectName: Type.Optional(Type.String()),
  grade: Type.Optional(Type.String()),
  points: Type.Number(),
  why: Type.String(),
});

export const Progress8Response = Type.Object({
  scope: Scope,
  pupils: Type.Array(
    Type.Object({
      pupilId: Type.String({ format: 'uuid', description: 'Pseudonymous pupil id' }),
      yearGroup: Type.Union([Type.Integer(), Type.Null()]),
      prior: Type.Object({
        average: Nullable(Type.Number()),
        group: Type.Union([Type.Integer(), Type.Null()]),
        band: Type.Union([Type.String(), Type.Null()]),
        missing: Type.Optional(Type.String()),
      }),
      attainment8: Type.Object({
        total: Type.Number(),
        elements: Type.Record(Type.String(), Type.Number()),
        slots: Type.Array(Slot),
      }),
      progress8: Nullable(Type.Number()),
      progress8Elements: Type.Union([Type.Record(Type.String(), Type.Number()), Type.Null()]),
      estimate: Nullable(Type.Number()),
      progress8Missing: Type.Optional(Type.String()),
    }),
  ),
});

export const AnalysisOptionsResponse = Type.Object({
  assessmentPoints: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      rank: Type.Integer(),
      facets: Type.Array(Type.String()),
    }),
  ),
  estimates: Type.Array(Type.Object({ id: Type.String(), year: Type.Integer(), version: Type.String() })),
  latestEstimates: Type.String(),
});

export const GapsQuery = Type.Object({
  ...AnalysisQuery.properties,
  minGroupSize: Type.Integer({
    minimum: 3,
    maximum: 100,
    default: 5,
    description: 'Groups (and rests of the cohort) smaller than this show no figures',
  }),
  dimension: Type.Optional(
    Type.Union(
      DIMENSIONS.map((dimension) => Type.Literal(dimension)),
      { description: 'One dimension only' },
    ),
  ),
});

const MeasuresSchema = Type.Object({
  attainment8: Type.Union([Type.Number(), Type.Null()]),
  progress8: Type.Union([Type.Number(), Type.Null()]),
  progress8Pupils: Type.Integer(),
  basicsStandard: Type.Union([Type.Number(), Type.Null()]),
  basicsStrong: Type.Union([Type.Number(), Type.Null()]),
  ebaccEntry: Type.Union([Type.Number(), Type.Null()]),
  ebaccAps: Type.Union([Type.Number(), Type.Null()]),
});

export const GapsResponse = Type.Object({
  scope: Scope,
  minGroupSize: Type.Integer(),
  cohort: Type.Intersect([MeasuresSchema, Type.Object({ pupils: Type.Integer() })]),
  dimensions: Type.Array(
    Type.Object({
      dimension: Type.String(),
      groups: Type.Array(
        Type.Object({
          value: Type.String(),
          pupils: Type.Union([Type.Integer(), Type.Null()]),
          suppressed: Type.Boolean(),
          measures: Type.Union([MeasuresSchema, Type.Null()]),
          gaps: Type.Union([
            Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
            Type.Null(),
          ]),
        }),
      ),
    }),
  ),
});

const Facet = Type.Union([
  Type.Literal('achieved'),
  Type.Literal('target'),
  Type.Literal('prediction'),
  Type.Literal('baseline'),
]);
const PointRef = Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]);
const Counts = { above: Type.Integer(), on: Type.Integer(), below: Type.Integer(), total: Type.Integer() };

export const TargetsQuery = Type.Object({
  assessmentPoint: Type.Optional(
    Type.String({ format: 'uuid', description: 'Default: the latest point with grades of the facet' }),
  ),
  facet: Type.Optional(
    Type.Union([Type.Literal('achieved'), Type.Literal('prediction')], {
      description: 'What is compared with targets (default achieved)',
    }),
  ),
  targetPoint: Type.Optional(
    Type.String({ format: 'uuid', description: 'Default: the latest point with targets' }),
  ),
});

export const TargetsResponse = Type.Object({
  point: PointRef,
  targetPoint: PointRef,
  facet: Type.String(),
  empty: Type.Optional(Type.String()),
  tracking: Type.Object({
    overall: Type.Object(Counts),
    bySubject: Type.Array(Type.Object({ subject: Type.String(), subjectName: Type.String(), ...Counts })),
    byClass: Type.Array(Type.Object({ className: Type.String(), subject: Type.String(), ...Counts })),
  }),
  pupils: Type.Array(
    Type.Object({
      pupilId: Type.String({ format: 'uuid' }),
      subject: Type.String(),
      subjectName: Type.String(),
      className: Type.Union([Type.String(), Type.Null()]),
      grade: Type.String(),
      points: Type.Number(),
      target: Type.String(),
      targetPoints: Type.Number(),
      status: Type.Union([Type.Literal('above'), Type.Literal('on'), Type.Literal('below')]),
    }),
  ),
});

const Residual = { pupils: Type.Integer(), meanResidual: Type.Number() };

export const ResidualsQuery = Type.Object({
  assessmentPoint: Type.Optional(Type.String({ format: 'uuid' })),
  facet: Type.Optional(Facet),
});

export const ResidualsResponse = Type.Object({
  point: PointRef,
  facet: Type.String(),
  empty: Type.Optional(Type.String()),
  bySubject: Type.Array(Type.Object({ subject: Type.String(), subjectName: Type.String(), ...Residual })),
  byClass: Type.Array(Type.Object({ className: Type.String(), subject: Type.String(), ...Residual })),
});

export const PupilParams = Type.Object({
  schoolId: Type.String({ format: 'uuid' }),
  pupilId: Type.String({ format: 'uuid' }),
});

export const FlightPathResponse = Type.Object({
  pupilId: Type.String({ format: 'uuid' }),
  subjects: Type.Array(
    Type.Object({
      subject: Type.String(),
      subjectName: Type.String(),
      points: Type.Array(
        Type.Object({
          point: Type.String(),
          facet: Type.String(),
          grade: Type.String(),
          points: Type.Number(),
        }),
      ),
    }),
  ),
});

export const ExportParams = Type.Object({
  schoolId: Type.String({ format: 'uuid' }),
  report: Type.Union([
    Type.Literal('headline'),
    Type.Literal('progress8'),
    Type.Literal('gaps'),
    Type.Literal('targets'),
    Type.Literal('residuals'),
  ]),
});

export const ExportQuery = Type.Object({
  ...AnalysisQuery.properties,
  format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'csv' }),
  minGroupSize: Type.Integer({ minimum: 3, maximum: 100, default: 5 }),
  targetPoint: Type.Optional(Type.String({ format: 'uuid' })),
});
