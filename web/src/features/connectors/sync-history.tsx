import { formatDateTime } from '../../components/page.tsx';
import { STATUS_NAMES, TRIGGER_NAMES, type Sync } from './api.ts';

const count = (sync: Sync, name: string): number => sync.counts[name] ?? 0;

/** The last sync's errors, by row and column as in imports (never the values). */
function SyncErrors({ sync }: { sync: Sync }) {
  if (sync.errors.length === 0) {
    return null;
  }
  return (
    <table className="table">
      <caption>Errors in the export of {formatDateTime(sync.startedAt)}</caption>
      <thead>
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Column</th>
          <th scope="col">Problem</th>
        </tr>
      </thead>
      <tbody>
        {sync.errors.map((error, index) => (
          <tr key={index}>
            <td>{error.row ?? '—'}</td>
            <td>{error.column ?? '—'}</td>
            <td>{error.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Sync status and history: last sync first, outcome and counts. */
export function SyncHistory({ syncs }: { syncs: Sync[] }) {
  const last = syncs[0];
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Sync status</h2>
      {last === undefined ? (
        <p>No sync yet.</p>
      ) : (
        <>
          <p>
            Last sync: <strong>{formatDateTime(last.startedAt)}</strong> —{' '}
            {STATUS_NAMES[last.status] ?? last.status}
            {last.message === null ? '' : `. ${last.message}`}
          </p>
          <SyncErrors sync={last} />
          <table className="table">
            <caption>Recent syncs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">How</th>
                <th scope="col">Outcome</th>
                <th scope="col" className="numeric">
                  Added
                </th>
                <th scope="col" className="numeric">
                  Changed
                </th>
                <th scope="col" className="numeric">
                  Left
                </th>
              </tr>
            </thead>
            <tbody>
              {syncs.map((sync) => (
                <tr key={sync.id}>
                  <td>{formatDateTime(sync.startedAt)}</td>
                  <td>{TRIGGER_NAMES[sync.trigger] ?? sync.trigger}</td>
                  <td>{STATUS_NAMES[sync.status] ?? sync.status}</td>
                  <td className="numeric">{count(sync, 'added')}</td>
                  <td className="numeric">{count(sync, 'changed')}</td>
                  <td className="numeric">{count(sync, 'left')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
