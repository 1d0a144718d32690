import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDateTime, Page } from '../../components/page.tsx';
import { QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';
import { longDate, privacyPath, type Certificate } from './api.ts';
import { CertificateDigest, RecordsDeleted } from './certificate-parts.tsx';
import './privacy.css';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function CertificateView({ certificate, schoolId }: { certificate: Certificate; schoolId: string }) {
  return (
    <Page title="Certificate of erasure" caption={certificate.school.name}>
      <div className="no-print">
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          Print the certificate
        </button>
        <Link to={`/schools/${schoolId}/privacy/requests/${certificate.request.id}`}>
          Back to the request
        </Link>
      </div>
      <article className="certificate" aria-labelledby="certificate-title">
        <h2 id="certificate-title">
          {certificate.school.name} erased a {certificate.subject.type}’s personal data
        </h2>
        <dl className="summary-list">
          <Row label="Certificate">
            <code>{certificate.certificate}</code>
          </Row>
          <Row label="Request">
            {certificate.request.reference}, received {longDate(certificate.request.receivedOn)}
          </Row>
          <Row label="Whose data">
            A {certificate.subject.type}, pseudonymous id <code>{certificate.subject.pseudonymousId}</code>
          </Row>
          <Row label="Approved by">
            {certificate.approvedBy}, {formatDateTime(certificate.approvedAt)}
          </Row>
          <Row label="Carried out by">
            {certificate.executedBy}, {formatDateTime(certificate.executedAt)}
          </Row>
          <Row label="Encryption key destroyed">
            {certificate.subjectKeyDestroyed ? 'Yes: no copy of their encrypted data can be read' : 'No'}
          </Row>
          <Row label="Search entries deleted">{certificate.blindIndexesDeleted}</Row>
          <Row label="Backups">{certificate.backups}</Row>
          <Row label="Request texts cleared">
            {certificate.requestTextCleared === 0
              ? 'None held'
              : `${certificate.requestTextCleared} description${certificate.requestTextCleared === 1 ? '' : 's'} or note${certificate.requestTextCleared === 1 ? '' : 's'} of requests about the pupil`}
          </Row>
        </dl>
        <h3>What the school does next</h3>
        <p>{certificate.nextSteps}</p>
        <RecordsDeleted records={certificate.deleted} />
        <h3>Left for redaction by hand</h3>
        {certificate.leftForManualRedaction.length === 0 ? (
          <p>Nothing.</p>
        ) : (
          <ul>
            {certificate.leftForManualRedaction.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        )}
        <CertificateDigest digest={certificate.digest} />
      </article>
    </Page>
  );
}

/** A certificate of erasure, laid out to print (pseudonymous ids and counts only: no names). */
export function CertificatePage() {
  const school = useSchool();
  const { certificateId = '' } = useParams();
  const certificate = useQuery({
    queryKey: ['privacy-certificate', school.id, certificateId],
    queryFn: () => api.get<Certificate>(`${privacyPath(school.id)}/certificates/${certificateId}`),
  });
  return (
    <QueryView query={certificate} what="the certificate">
      {(found) => <CertificateView certificate={found} schoolId={school.id} />}
    </QueryView>
  );
}
