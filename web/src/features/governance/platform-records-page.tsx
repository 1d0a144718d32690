import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDateTime, Page } from '../../components/page.tsx';
import { QueryView } from '../../components/status.tsx';
import { share, type PlatformEvidence, type PlatformRopa } from './api.ts';
import { BackupsEvidence, PlatformBreaches } from './registers.tsx';
import { ListOf, Processor, RequestTable, Runs, Security, SensitivityTag, Transfers } from './shared.tsx';
import '../privacy/privacy.css';

function PlatformRopaView({ record }: { record: PlatformRopa }) {
  return (
    <article className="certificate" aria-labelledby="platform-ropa-title">
      <h2 id="platform-ropa-title">Record of processing activities (UK GDPR Article 30(2))</h2>
      <p>
        Processor: <Processor processor={record.processor} />. Each school is the controller of its own data.
      </p>
      <h3>Processing carried out for schools</h3>
      <ListOf items={record.activities} />
      <h3>People the data is about</h3>
      <ListOf items={record.dataSubjects} />
      <div className="table-wrapper">
        <table className="table">
          <caption>Categories of data each school holds (records holding each; never the data)</caption>
          <thead>
            <tr>
              <th scope="col">School</th>
              <th scope="col">Categories</th>
              <th scope="col" className="numeric">
                Apps receiving data
              </th>
            </tr>
          </thead>
          <tbody>
            {record.schools.map((school) => (
              <tr key={school.id}>
                <th scope="row">
                  {school.name}
                  {school.status === 'active' ? '' : ` (${school.status})`}
                </th>
                <td>
                  {school.categories.length === 0 ? (
                    'None yet'
                  ) : (
                    <ul className="plain-list">
                      {school.categories.map((category) => (
                        <li key={category.id}>
                          {category.name}: {category.records}{' '}
                          {category.sensitivity === 'personal' ? null : (
                            <SensitivityTag sensitivity={category.sensitivity} />
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="numeric">{school.apps}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Security measures={record.security} headingId="platform-security" />
      <Transfers transfers={record.transfers} headingId="platform-transfers" />
    </article>
  );
}

function PlatformEvidenceView({ evidence }: { evidence: PlatformEvidence }) {
  return (
    <article className="certificate" aria-labelledby="platform-evidence-title">
      <h2 id="platform-evidence-title">Compliance evidence for the annual audit</h2>
      <p className="hint">Generated {formatDateTime(evidence.generatedAt)}.</p>
      <div className="table-wrapper">
        <table className="table">
          <caption>Per school: keys, two-factor, requests and deletions</caption>
          <thead>
            <tr>
              <th scope="col">School</th>
              <th scope="col">Data key</th>
              <th scope="col">Last rotation</th>
              <th scope="col" className="numeric">
                Pupil keys
              </th>
              <th scope="col">Staff with two-factor</th>
              <th scope="col">Requests closed late / open overdue</th>
              <th scope="col" className="numeric">
                Retention certificates
              </th>
              <th scope="col" className="numeric">
                Support grants
              </th>
            </tr>
          </thead>
          <tbody>
            {evidence.schools.map((school) => (
              <tr key={school.id}>
                <th scope="row">{school.name}</th>
                <td>{school.dataKeyVersion === null ? 'none' : `v${school.dataKeyVersion}`}</td>
                <td>{school.lastRotation === null ? 'never' : formatDateTime(school.lastRotation)}</td>
                <td className="numeric">{school.pupilKeys}</td>
                <td>{share(school.withTwoFactor, school.staff)}</td>
                <td>
                  {school.requests.closedLate} / {school.requests.overdue} (of {school.requests.total})
                </td>
                <td className="numeric">{school.certificates}</td>
                <td className="numeric">{school.supportGrants}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Data subject requests, all schools</h3>
      <RequestTable requests={evidence.requests} caption="Requests by kind and timeliness, all schools" />
      <h3>Retention</h3>
      <Runs runs={evidence.retention.runs} last={evidence.retention.lastSuccessfulRun} />
      <h3>Support access</h3>
      <p>
        Support access grants made by schools: {evidence.supportGrants.total}, of which{' '}
        {evidence.supportGrants.live} live now.
      </p>
      <BackupsEvidence backups={evidence.backups} school={false} />
      <PlatformBreaches breaches={evidence.breaches} />
    </article>
  );
}

/** The operator's records: the platform's ROPA and the platform-wide evidence report (counts only). */
export function PlatformRecordsPage() {
  const ropa = useQuery({
    queryKey: ['platform', 'ropa'],
    queryFn: () => api.get<PlatformRopa>('/api/v1/platform/ropa'),
  });
  const evidence = useQuery({
    queryKey: ['platform', 'evidence'],
    queryFn: () => api.get<PlatformEvidence>('/api/v1/platform/evidence'),
  });
  return (
    <Page title="Data protection records" caption="Platform">
      <div className="no-print">
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          Print these records
        </button>{' '}
        <Link to="/platform">Back to the platform</Link>
      </div>
      <QueryView query={ropa} what="the record of processing">
        {(record) => <PlatformRopaView record={record} />}
      </QueryView>
      <QueryView query={evidence} what="the evidence report">
        {(report) => <PlatformEvidenceView evidence={report} />}
      </QueryView>
    </Page>
  );
}
