import { formatDateTime } from '../../components/page.tsx';
import { share, type SchoolEvidence } from './api.ts';
import { BackupsEvidence, SchoolBreaches } from './registers.tsx';
import { RequestTable, Runs } from './shared.tsx';

function Encryption({ encryption }: { encryption: SchoolEvidence['encryption'] }) {
  return (
    <>
      <h3>Encryption coverage</h3>
      <p>
        {encryption.algorithm}. Pupil keys: {encryption.pupilKeys}. Last key rotation:{' '}
        {encryption.lastRotation === null
          ? 'never (the first keys are in use)'
          : formatDateTime(encryption.lastRotation)}
        .
      </p>
      <div className="table-wrapper">
        <table className="table">
          <caption>Encrypted fields</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">What</th>
              <th scope="col" className="numeric">
                Values held
              </th>
            </tr>
          </thead>
          <tbody>
            {encryption.fields.map((field) => (
              <tr key={`${field.table}.${field.column}`}>
                <th scope="row">
                  <code>
                    {field.table}.{field.column}
                  </code>
                </th>
                <td>{field.what}</td>
                <td className="numeric">{field.values}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-wrapper">
        <table className="table">
          <caption>Key versions (key material is never shown)</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">State</th>
              <th scope="col">Master key</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {encryption.keys.map((key) => (
              <tr key={`${key.purpose}${key.version}`}>
                <th scope="row">
                  {key.purpose} v{key.version}
                </th>
                <td>{key.state}</td>
                <td>
                  <code>{key.masterKeyId}</code>
                </td>
                <td>{formatDateTime(key.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The compliance evidence report: what the school shows an auditor. */
export function EvidenceSection({ evidence }: { evidence: SchoolEvidence }) {
  return (
    <article className="certificate" aria-labelledby="evidence-title">
      <h2 id="evidence-title">Compliance evidence</h2>
      <p className="hint">
        Generated {formatDateTime(evidence.generatedAt)}. Counts and roles only: no pupil is named.
      </p>
      <Encryption encryption={evidence.encryption} />
      <h3>Access review</h3>
      <div className="table-wrapper">
        <table className="table">
          <caption>Who holds which role at the school</caption>
          <thead>
            <tr>
              <th scope="col">Staff member</th>
              <th scope="col">Roles</th>
              <th scope="col">Account</th>
              <th scope="col">Two-factor</th>
            </tr>
          </thead>
          <tbody>
            {evidence.access.map((member) => (
              <tr key={member.userId}>
                <th scope="row">{member.email}</th>
                <td>{member.roles.join(', ')}</td>
                <td>{member.status}</td>
                <td>{member.twoFactor ? 'On' : 'Off'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Two-factor coverage</h3>
      <p>
        Active staff with two-factor on: {share(evidence.twoFactor.withTwoFactor, evidence.twoFactor.staff)}.
        The school {evidence.twoFactor.required ? 'requires' : 'does not require'} two-factor.
      </p>
      <h3>Support access</h3>
      <div className="table-wrapper">
        <table className="table">
          <caption>Support access grants</caption>
          <thead>
            <tr>
              <th scope="col">Engineer</th>
              <th scope="col">Access</th>
              <th scope="col">Ticket</th>
              <th scope="col">Window</th>
              <th scope="col">Status</th>
              <th scope="col" className="numeric">
                Requests made
              </th>
            </tr>
          </thead>
          <tbody>
            {evidence.supportGrants.length === 0 ? (
              <tr>
                <td colSpan={6}>None recorded: no support engineer has been given access.</td>
              </tr>
            ) : (
              evidence.supportGrants.map((grant) => (
                <tr key={`${grant.ticket}${grant.startsAt}`}>
                  <th scope="row">{grant.engineer}</th>
                  <td>{grant.access}</td>
                  <td>{grant.ticket}</td>
                  <td>
                    {formatDateTime(grant.startsAt)} to {formatDateTime(grant.expiresAt)}
                  </td>
                  <td>{grant.status}</td>
                  <td className="numeric">{grant.requests}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <h3>Data subject requests</h3>
      <RequestTable requests={evidence.requests} caption="Requests by kind and timeliness" />
      <h3>Retention</h3>
      <p>Certificates of deletion issued: {evidence.retention.certificates}.</p>
      <Runs runs={evidence.retention.runs} last={evidence.retention.lastSuccessfulRun} />
      <BackupsEvidence backups={evidence.backups} school />
      <SchoolBreaches notices={evidence.breaches.notices} />
      <h3>Data residency</h3>
      <p>{evidence.transfers.statement}</p>
    </article>
  );
}
