import { formatDateTime } from '../../components/page.tsx';
import type { Grant } from './api.ts';

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
