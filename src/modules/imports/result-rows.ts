import { gradeInSet, gradeSetByCode, subjectByCode } from '../curriculum/catalogue.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import { splitSubjectHeader } from './columns.ts';
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

function checkGrade(
  subjectCode: string,
  gradeText: string,
): { grade?: { code: string; points: number }; problem?: string } {
  const subject = subjectByCode(subjectCode);
  const gradeSet = subject === undefined ? undefined : gradeSetByCode(subject.gradeSet);
  const grade = gradeSet === undefined ? undefined : gradeInSet(gradeSet, gradeText);
  return grade !== undefined
    ? { grade }
    : {
        problem: `grade is not in the ${gradeSet?.name ?? 'subject’s'} grade set (${gradeSet?.grades.map((entry) => entry.code).join(', ') ?? ''})`,
      };
}

/**
 * A marksheet row: one pupil, a column per subject (and facet, e.g. "Maths (Target)"); every non-empty
 * cell is a result at the row's (or the file's) assessment point.
 */
export function readMarksheetRow(
  cells: FieldCells,
  rawCells: readonly string[],
  subjectColumns: ReadonlyArray<{ index: number; header: string }>,
  options: RowOptions & { assessmentPoint?: string | undefined },
  resolveSubject: (name: string) => string | undefined,
): Array<{ record?: ResultRecord; issues: ImportIssue[]; unknownSubject?: string }> {
  const issues: ImportIssue[] = [];
  const found = readKey(cells, issues, options);
  const point = (cells.get('assessment_point') ?? '') || (options.assessmentPoint ?? '');
  if (point === '') {
    issues.push({
      severity: 'error',
      row: cells.row,
      column: cells.column('assessment_point'),
      field: 'assessment_point',
      message: 'assessment point is required for a result',
    });
  }
  if (found === undefined || point === '') {
    return [{ issues }];
  }
  const className = cells.get('class') ?? '';
  const outcomes: Array<{ record?: ResultRecord; issues: ImportIssue[]; unknownSubject?: string }> = [];
  for (const column of subjectColumns) {
    const text = rawCells[column.index]?.trim() ?? '';
    if (text === '') {
      continue;
    }
    const { subject: name, facetWord } = splitSubjectHeader(column.header);
    const code = resolveSubject(name) ?? resolveSubject(column.header);
    if (code === undefined) {
      outcomes.push({ issues: [], unknownSubject: column.header.slice(0, 100) });
      continue;
    }
    const facet = facetWord === undefined ? 'achieved' : (parseFacet(facetWord) ?? 'achieved');
    const checked = checkGrade(code, text);
    if (checked.grade === undefined) {
      outcomes.push({
        issues: [
          {
            severity: 'error',
            row: cells.row,
            column: column.header,
            field: 'grade',
            value: text.slice(0, 40),
            message: checked.problem ?? 'grade is not valid',
          },
        ],
      });
      continue;
    }
    outcomes.push({
      issues: [],
      record: {
        row: cells.row,
        key: found.key,
        subject: code,
        assessmentPoint: point.slice(0, 100),
        facet,
        grade: checked.grade.code,
        points: checked.grade.points,
        ...(className === '' ? {} : { className: className.slice(0, 100) }),
      },
    });
  }
  // The row's own problems (none here unless the key had warnings) travel with its first result.
  return outcomes.length === 0
    ? [{ issues }]
    : [{ ...outcomes[0], issues: [...issues, ...(outcomes[0]?.issues ?? [])] }, ...outcomes.slice(1)];
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
  const checked = gradeText === undefined ? {} : checkGrade(code, gradeText);
  const grade = checked.grade;
  if (gradeText !== undefined && grade === undefined) {
    issues.push({
      severity: 'error',
      row: cells.row,
      column: cells.column('grade'),
      field: 'grade',
      value: gradeText.slice(0, 40),
      message: checked.problem ?? 'grade is not valid',
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
