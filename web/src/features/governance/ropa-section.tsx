import { formatDate } from '../../components/page.tsx';
import type { SchoolRopa } from './api.ts';
import { ListOf, Processor, Security, SensitivityTag, Transfers } from './shared.tsx';

/** The school's record of processing activities, as Haven (the processor) keeps it. */
export function RopaSection({ record }: { record: SchoolRopa }) {
  return (
    <article className="certificate" aria-labelledby="ropa-title">
      <h2 id="ropa-title">Record of processing activities (UK GDPR Article 30(2))</h2>
      <dl className="summary-list">
        <div>
          <dt>Processor</dt>
          <dd>
            <Processor processor={record.processor} />
          </dd>
        </div>
        <div>
          <dt>Controller</dt>
          <dd>
            {record.controller.name}
            {record.controller.urn === null ? '' : ` (URN ${record.controller.urn})`}
          </dd>
        </div>
      </dl>
      <h3>Processing carried out for the school</h3>
      <ListOf items={record.activities} />
      <h3>People the data is about</h3>
      <ListOf items={record.dataSubjects} />
      <div className="table-wrapper">
        <table className="table">
          <caption>Categories of personal data the school’s records hold now</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">What</th>
              <th scope="col">Sensitivity</th>
              <th scope="col">Encrypted</th>
              <th scope="col" className="numeric">
                Records holding it
              </th>
            </tr>
          </thead>
          <tbody>
            {record.categories.length === 0 ? (
              <tr>
                <td colSpan={5}>None yet: the school has imported no data.</td>
              </tr>
            ) : (
              record.categories.map((category) => (
                <tr key={category.id}>
                  <th scope="row">{category.name}</th>
                  <td>{category.description}</td>
                  <td>
                    <SensitivityTag sensitivity={category.sensitivity} />
                  </td>
                  <td>{category.encrypted ? 'Yes' : 'No (pseudonymised)'}</td>
                  <td className="numeric">{category.records}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {record.notHeld.length === 0 ? null : (
        <p className="hint">Not held: {record.notHeld.map((category) => category.name).join(', ')}.</p>
      )}
      <div className="table-wrapper">
        <table className="table">
          <caption>Apps receiving data (the school’s authorisations)</caption>
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">Purpose</th>
              <th scope="col">Data approved</th>
              <th scope="col">Approved</th>
            </tr>
          </thead>
          <tbody>
            {record.recipients.length === 0 ? (
              <tr>
                <td colSpan={4}>No app receives data.</td>
              </tr>
            ) : (
              record.recipients.map((recipient) => (
                <tr key={`${recipient.app}${recipient.approvedAt}`}>
                  <th scope="row">{recipient.app}</th>
                  <td>{recipient.purpose}</td>
                  <td>
                    <ul className="plain-list">
                      {recipient.scopes.map((scope) => (
                        <li key={scope.scope}>
                          {scope.title} <SensitivityTag sensitivity={scope.sensitivity} />
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{formatDate(recipient.approvedAt)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <div className="table-wrapper">
        <table className="table">
          <caption>How long data is kept</caption>
          <thead>
            <tr>
              <th scope="col">Data</th>
              <th scope="col">Kept until</th>
              <th scope="col">Then</th>
            </tr>
          </thead>
          <tbody>
            {record.retention.map((rule) => (
              <tr key={rule.rule}>
                <th scope="row">{rule.category}</th>
                <td>
                  {rule.period}
                  {rule.setBySchool ? ' (the school’s own, shorter period)' : ''}
                </td>
                <td>{rule.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Security measures={record.security} headingId="ropa-security" />
      <Transfers transfers={record.transfers} headingId="ropa-transfers" />
    </article>
  );
}
