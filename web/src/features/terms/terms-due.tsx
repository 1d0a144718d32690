import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { MySchool } from '../../api/types.ts';
import { longDate } from '../privacy/api.ts';
import { termsKey, undecided, type SchoolTerms } from './api.ts';

/** On the school home, for those who answer for the school: new terms waiting for a decision. */
export function TermsDue({ school }: { school: MySchool }) {
  const terms = useQuery({
    queryKey: termsKey(school.id),
    queryFn: () => api.get<SchoolTerms>(`/api/v1/schools/${school.id}/terms`),
  });
  const waiting = terms.data === undefined ? [] : undecided(terms.data);
  if (waiting.length === 0) {
    return null;
  }
  return (
    <div className="notice notice--warning">
      <h2 className="notice__title">New terms of service</h2>
      {waiting.map((version) => (
        <p key={version.id}>
          Version {version.version} takes effect on {longDate(version.effectiveOn)}.{' '}
          <Link to={`/schools/${school.id}/terms`}>Read it and accept it, or opt out</Link>
        </p>
      ))}
    </div>
  );
}
