import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDateTime, Page } from '../../components/page.tsx';
import { QueryView } from '../../components/status.tsx';
import { can, useSchool } from '../../session/session.tsx';
import { shortDate } from '../privacy/api.ts';
import { overviewKey, retentionPath, RULE_NAMES, type Overview } from './api.ts';
import { HoldsSection } from './holds-section.tsx';
import { LeaveSection } from './leave-section.tsx';
import { OutlookSection } from './outlook-section.tsx';
import { RulesSection } from './rules-section.tsx';
import { StandingSection } from './standing-section.tsx';
import '../privacy/privacy.css';
import './retention.css';

function Certificates({ overview, schoolId }: { overview: Overview; schoolId: string }) {
  return (
    <section aria-labelledby="certificates-title">
      <h2 id="certificates-title">What has been deleted</h2>
      {overview.certificates.length === 0 ? (
        <p>
          Nothing yet. Each deletion will be certified here: what went, under which rule, and how many
          records.
        </p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Retention certificates, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Rule</th>
              <th scope="col" className="numeric">
                Pupils
              </th>
              <th scope="col" className="numeric">
                Records
              </th>
              <th scope="col">Certificate</th>
            </tr>
          </thead>
          <tbody>
            {overview.certificates.map((certificate) => (
              <tr key={certificate.id}>
                <td>{formatDateTime(certificate.createdAt)}</td>
                <td>{RULE_NAMES[certificate.rule]}</td>
                <td className="numeric">{certificate.subjects}</td>
                <td className="numeric">{certificate.records}</td>
                <td>
                  <Link to={`/schools/${schoolId}/retention/certificates/${certificate.id}`}>
                    View
                    <span className="visually-hidden">
                      {' '}
                      the certificate of {shortDate(certificate.appliedOn)}
                    </span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * The school's retention page: where the school stands, who goes in the next 90 days and why, the
 * rules and the school's own shorter periods, legal holds, certificates, and leaving Haven.
 */
export function RetentionPage() {
  const school = useSchool();
  const overview = useQuery({
    queryKey: overviewKey(school.id),
    queryFn: () => api.get<Overview>(`${retentionPath(school.id)}?days=90`),
  });
  return (
    <Page title="Retention" caption={school.name}>
      <p className="lead">
        Haven deletes personal data when its promises say so, not when someone remembers. Here is what will
        go, when and why, and how to keep something that must be kept.
      </p>
      <QueryView query={overview} what="retention">
        {(found) => (
          <>
            <StandingSection overview={found} schoolId={school.id} />
            <OutlookSection overview={found} schoolId={school.id} />
            <HoldsSection schoolId={school.id} />
            <RulesSection rules={found.rules} schoolId={school.id} />
            <Certificates overview={found} schoolId={school.id} />
            {can(school, 'users.manage') ? (
              <LeaveSection leaving={found.leaving} schoolId={school.id} schoolName={school.name} />
            ) : null}
          </>
        )}
      </QueryView>
    </Page>
  );
}
