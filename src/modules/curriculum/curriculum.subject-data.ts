import type { SubjectDataSource } from '../privacy/subject-data.ts';
import { classesOfPupils, pupilResults } from './pupil-curriculum.repository.ts';

// What the curriculum holds about a pupil: their grades (achieved, targets, predictions, baselines)
// and the classes they are taught in.

export const curriculumSubjectData: SubjectDataSource = {
  module: 'curriculum',
  tables: ['results', 'class_members'],
  async export({ trx, schoolId, pupilId }) {
    const results = await pupilResults(trx, schoolId, pupilId);
    const classes = await classesOfPupils(trx, schoolId, [pupilId]);
    return {
      results: results.map((result) => ({
        assessmentPoint: result.point,
        assessmentDate: result.point_date,
        subjectCode: result.subject,
        subject: result.subject_name,
        kind: result.facet,
        grade: result.grade,
        points: result.points,
      })),
      classes: classes.map((entry) => ({
        class: entry.name,
        yearGroup: entry.year_group,
        subject: entry.subject_name,
      })),
    };
  },
};
