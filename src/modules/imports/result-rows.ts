import { gradeInSet, gradeSetByCode, subjectByCode } from '../curriculum/catalogue.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import { readKey, type FieldCells, type RowOptions } from './pupil-rows.ts';
import type { ResultRecord } from '../curriculum/result-record.ts';
import type { ImportIssue } from './report.ts';

const FACETS: Record<string, Facet> = {
  achieved: 'achieved',
  actual: 'achieved',
  result: 'achieved',
  working_at: 'achieved',
  target: 'target',
  tgt: 'target',
  prediction: 'prediction',
  predicted: 'prediction',
  forecast: 'prediction',
  baseline: 'baseline',
};

export function parseFacet(text: string): Facet | undefined {
  return FACETS[
    text
      .trim()
      .toLowerCase()
      .replace(/[^a-z]+/g, '_')
  ];
}

/**
 * A result row. `resolveSubject` turns the school's subject name into a catalogue code, or undefined
 * when nobody has said what it means: those names are collected and reported together by the caller.
 */
export function readResultRow(
  cells: FieldCells,
  options: RowOptions,
  resolveSubject: (name: string) => string | undefined,
): { record?: ResultRecord; issues: ImportIssue[]; unknownSubject?: string } {
  const issues: ImportIssue[] = [];
  const found = readKey(cells, issues, options);
  const required = (field: string): string | undefined => {
    const value = cells.get(field) ?? '';
    if (value === '') {
      issues.push({
        severity: 'error',
        row: cells.row,
        ...(cells.has(field) ? { column: cells.column(field) } : {}),
        field,
        message: `${field.replaceAll('_', ' ')} is required for a result`,
      });
      return undefined;
    }
    return value;
  };
  const subjectName = required('subject');
  const assessmentPoint = required('assessment_point');
  const gradeText = required('grade');
  const facetText = cells.get('facet') ?? '';
  const facet = facetText === '' ? 'achieved' : parseFacet(facetText);
  if (facet === undefined) {
    issues.push({
      severity: 'error',
      row: cells.row,
      column: cells.column('facet'),
      field: 'facet',
      value: facetText.slice(0, 40),
      message: 'facet must be achieved, target, prediction or baseline',
    });
  }
  if (subjectName === undefined) {
    return { issues };
  }
  const code = resolveSubject(subjectName);
  if (code === undefined) {
    return { issues, unknownSubject: subjectName.slice(0, 100) };
  }
  const subject = subjectByCode(code);
  const gradeSet = subject === undefined ? undefined : gradeSetByCode(subject.gradeSet);
  const grade =
    gradeSet === undefined || gradeText === undefined ? undefined : gradeInSet(gradeSet, gradeText);
  if (gradeText !== undefined && grade === undefined) {
    issues.push({
      severity: 'error',
      row: cells.row,
      column: cells.column('grade'),
      field: 'grade',
      value: gradeText.slice(0, 40),
      message: `grade is not in the ${gradeSet?.name ?? 'subject’s'} grade set (${gradeSet?.grades.map((entry) => entry.code).join(', ') ?? ''})`,
    });
  }
  if (found === undefined || assessmentPoint === undefined || facet === undefined || grade === undefined) {
    return { issues };
  }
  const className = cells.get('class') ?? '';
  return {
    issues,
    record: {
      row: cells.row,
      key: found.key,
      subject: code,
      assessmentPoint: assessmentPoint.slice(0, 100),
      facet,
      grade: grade.code,
      points: grade.points,
      ...(className === '' ? {} : { className: className.slice(0, 100) }),
    },
  };
}
