import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDateTime, Page } from '../../components/page.tsx';
import { QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';
import { longDate } from '../privacy/api.ts';
import { CertificateDigest, RecordsDeleted } from '../privacy/certificate-parts.tsx';
import { retentionPath, RULE_NAMES, type RetentionCertificate } from './api.ts';
import '../privacy/privacy.css';

function CertificateView({ certificate, schoolId }: { certificate: RetentionCertificate; schoolId: string }) {
  return (
    <Page title="Certificate of deletion" caption={certificate.school.name}>
      <div className="no-print">
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          Print the certificate
        </button>
        <Link to={`/schools/${schoolId}/retention`}>Back to retention</Link>
      </div>
      <article className="certificate" aria-labelledby="certificate-title">
        <h2 id="certificate-title">Haven deleted data under the retention rules</h2>
        <dl className="summary-list">
          <div>
            <dt>Certificate</dt>
            <dd>
              <code>{certificate.certificate}</code>
            </dd>
          </div>
          <div>
            <dt>Rule</dt>
            <dd>
              {RULE_NAMES[certificate.rule]}: {certificate.period}
            </dd>
          </div>
          <div>
            <dt>What was done</dt>
            <dd>{certificate.ruleDescription}</dd>
          </div>
          <div>
            <dt>Data</dt>
            <dd>{certificate.categories.join('; ')}</dd>
          </div>
          <div>
            <dt>Applied on</dt>
            <dd>
              {longDate(certificate.appliedOn)} (carried out {formatDateTime(certificate.executedAt)} by{' '}
              {certificate.executedBy === 'haven' ? 'Haven, automatically' : certificate.executedBy})
            </dd>
          </div>
          <div>
            <dt>Kept by legal holds</dt>
            <dd>{certificate.heldBack}</dd>
          </div>
        </dl>
        <RecordsDeleted records={certificate.records} />
        {certificate.subjects.length === 0 ? null : (
          <>
            <h3>Pupils erased, by pseudonymous id</h3>
            <p className="hint">Their names are gone with their keys; these ids match the audit log.</p>
            <ul className="plain-list">
              {certificate.subjects.map((subject) => (
                <li key={subject}>
                  <code>{subject}</code>
                </li>
              ))}
            </ul>
          </>
        )}
        <CertificateDigest digest={certificate.digest} />
      </article>
    </Page>
  );
}

/** A certificate of deletion under the retention rules (pseudonymous ids and counts only). */
export function RetentionCertificatePage() {
  const school = useSchool();
  const { certificateId = '' } = useParams();
  const certificate = useQuery({
    queryKey: ['retention-certificate', school.id, certificateId],
    queryFn: () => api.get<RetentionCertificate>(`${retentionPath(school.id)}/certificates/${certificateId}`),
  });
  return (
    <QueryView query={certificate} what="the certificate">
      {(found) => <CertificateView certificate={found} schoolId={school.id} />}
    </QueryView>
  );
}
