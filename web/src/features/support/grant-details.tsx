import { formatDateTime } from '../../components/page.tsx';
import { ACCESS_WORDS, STATUS_WORDS, type Grant } from './api.ts';

/** What was done under a grant: the requests from the school's audit log, newest first. */
export function GrantRequests({ grant }: { grant: Grant }) {
  if (grant.requests.count === 0) {
    return <p className="hint">No requests made under this access yet.</p>;
  }
  return (
    <details>
      <summary>
        {grant.requests.count} request{grant.requests.count === 1 ? '' : 's'} made under this access
      </summary>
      <table className="table">
        <caption className="visually-hidden">Requests under ticket {grant.ticket}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          {grant.requests.recent.map((entry, index) => (
            <tr key={`${entry.at}-${index}`}>
              <td>{formatDateTime(entry.at)}</td>
              <td>
                <code>
                  {entry.method} {entry.route}
                </code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** A grant at a glance: its status (in words), what it allows, why, and its window. */
export function GrantSummary({ grant }: { grant: Grant }) {
  return (
    <dl className="summary-list">
      <div>
        <dt>Status</dt>
        <dd>
          <span className={`tag tag--${grant.status === 'live' ? 'amber' : 'grey'}`}>
            {STATUS_WORDS[grant.status]}
          </span>
        </dd>
      </div>
      <div>
        <dt>Access</dt>
        <dd>{ACCESS_WORDS[grant.access]}</dd>
      </div>
      <div>
        <dt>Purpose</dt>
        <dd>{grant.purpose}</dd>
      </div>
      <div>
        <dt>Window</dt>
        <dd>
          {formatDateTime(grant.startsAt)} to {formatDateTime(grant.endedAt ?? grant.expiresAt)}
        </dd>
      </div>
    </dl>
  );
}
