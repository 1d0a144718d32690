import { useSearchParams } from 'react-router';
import { useSchool } from '../../session/session.tsx';
import { filtersFrom } from './analysis-api.ts';

/** What a page needs to ask for its report: the school and the view's filters. */
export function useAnalysisView() {
  const school = useSchool();
  const [params, setParams] = useSearchParams();
  return { schoolId: school.id, params, setParams, filters: filtersFrom(params) };
}
