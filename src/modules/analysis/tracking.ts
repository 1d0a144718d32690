// Progress against targets and subject residuals: the school's own progress measures, which work for
// every cohort (including those with no KS2, and so no Progress 8).

export type TargetStatus = 'above' | 'on' | 'below';

export interface GradePair {
  pupilId: string;
  subject: string;
  subjectName: string;
  className: string | null;
  grade: string;
  points: number;
  target: string;
  targetPoints: number;
}

export interface StatusCounts {
  above: number;
  on: number;
  below: number;
  total: number;
}

export function targetStatus(points: number, targetPoints: number): TargetStatus {
  return points > targetPoints ? 'above' : points < targetPoints ? 'below' : 'on';
}

function count(pairs: readonly GradePair[]): StatusCounts {
  const counts = { above: 0, on: 0, below: 0, total: pairs.length };
  for (const pair of pairs) {
    counts[targetStatus(pair.points, pair.targetPoints)] += 1;
  }
  return counts;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    groups.set(name, [...(groups.get(name) ?? []), item]);
  }
  return groups;
}

/** Above / on / below target for every pupil and subject, summed by subject and by class. */
export function targetTracking(pairs: readonly GradePair[]): {
  overall: StatusCounts;
  bySubject: Array<{ subject: string; subjectName: string } & StatusCounts>;
  byClass: Array<{ className: string; subject: string } & StatusCounts>;
} {
  return {
    overall: count(pairs),
    bySubject: [...groupBy(pairs, (pair) => pair.subject)]
      .map(([subject, list]) => ({ subject, subjectName: list[0]?.subjectName ?? subject, ...count(list) }))
      .sort((a, b) => a.subjectName.localeCompare(b.subjectName)),
    byClass: [
      ...groupBy(
        pairs.filter((pair) => pair.className !== null),
        (pair) => `${pair.className ?? ''}\u0000${pair.subject}`,
      ),
    ]
      .map(([key, list]) => ({
        className: key.split('\u0000')[0] ?? '',
        subject: list[0]?.subject ?? '',
        ...count(list),
      }))
      .sort((a, b) => a.className.localeCompare(b.className)),
  };
}

export interface ResidualInput {
  pupilId: string;
  subject: string;
  subjectName: string;
  className: string | null;
  points: number;
}

export interface ResidualSummary {
  pupils: number;
  meanResidual: number;
}

function summary(list: ReadonlyArray<{ residual: number }>): ResidualSummary {
  return {
    pupils: list.length,
    meanResidual: list.reduce((sum, entry) => sum + entry.residual, 0) / list.length,
  };
}

/**
 * Subject residuals: each grade minus the mean of the pupil's grades in their other subjects, averaged
 * per subject and per class. Pupils with a single subject have no residual.
 */
export function subjectResiduals(grades: readonly ResidualInput[]): {
  bySubject: Array<{ subject: string; subjectName: string } & ResidualSummary>;
  byClass: Array<{ className: string; subject: string } & ResidualSummary>;
} {
  const residuals: Array<ResidualInput & { residual: number }> = [];
  for (const [, list] of groupBy(grades, (grade) => grade.pupilId)) {
    if (list.length < 2) {
      continue;
    }
    const total = list.reduce((sum, grade) => sum + grade.points, 0);
    for (const grade of list) {
      residuals.push({ ...grade, residual: grade.points - (total - grade.points) / (list.length - 1) });
    }
  }
  return {
    bySubject: [...groupBy(residuals, (entry) => entry.subject)]
      .map(([subject, list]) => ({ subject, subjectName: list[0]?.subjectName ?? subject, ...summary(list) }))
      .sort((a, b) => b.meanResidual - a.meanResidual),
    byClass: [
      ...groupBy(
        residuals.filter((entry) => entry.className !== null),
        (entry) => `${entry.className ?? ''}\u0000${entry.subject}`,
      ),
    ]
      .map(([key, list]) => ({
        className: key.split('\u0000')[0] ?? '',
        subject: list[0]?.subject ?? '',
        ...summary(list),
      }))
      .sort((a, b) => a.className.localeCompare(b.className)),
  };
}
