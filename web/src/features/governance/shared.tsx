import { formatDateTime } from '../../components/page.tsx';
import { SENSITIVITY_NAMES, SENSITIVITY_TAGS, type RequestStatistics, type TransferPosition } from './api.ts';

/** A sensitivity as a tag whose words say it (the colour only repeats them). */
export function SensitivityTag({ sensitivity }: { sensitivity: string }) {
  return (
    <strong className={`tag ${SENSITIVITY_TAGS[sensitivity] ?? 'tag--grey'}`}>
      {SENSITIVITY_NAMES[sensitivity] ?? sensitivity}
    </strong>
  );
}

export function ListOf({ items }: { items: readonly string[] }) {
  return (
    <ul>
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}

export function Processor({ processor }: { processor: { name: string | null; contact: string | null } }) {
  return (
    <>
      {processor.name ?? 'Not stated: the operator has not set HAVEN_OPERATOR_NAME'}
      {processor.contact === null ? null : <>, {processor.contact}</>}
    </>
  );
}

export function Transfers({ transfers, headingId }: { transfers: TransferPosition; headingId: string }) {
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>Where the data is (transfers)</h3>
      <dl className="summary-list">
        <div>
          <dt>Database</dt>
          <dd>{transfers.storage?.words ?? 'Not declared (HAVEN_STORAGE_REGION)'}</dd>
        </div>
        <div>
          <dt>Backups</dt>
          <dd>{transfers.backups?.words ?? 'Not declared (HAVEN_BACKUP_REGION)'}</dd>
        </div>
      </dl>
      <p>{transfers.statement}</p>
      <p className="hint">
        Allowed places: the UK, the EEA and UK adequacy countries (list compiled{' '}
        {transfers.allowedListCompiled}).
      </p>
    </section>
  );
}

export function Security({
  measures,
  headingId,
}: {
  measures: Array<{ measure: string; detail: string }>;
  headingId: string;
}) {
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>Security measures</h3>
      <dl className="summary-list">
        {measures.map((entry) => (
          <div key={entry.measure}>
            <dt>{entry.measure}</dt>
            <dd>{entry.detail}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function RequestTable({ requests, caption }: { requests: RequestStatistics; caption: string }) {
  const rows = [...requests.byKind, { kind: 'All requests', ...requests }];
  return (
    <div className="table-wrapper">
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            {['Total', 'Open', 'Open and overdue', 'Closed on time', 'Closed late'].map((name) => (
              <th scope="col" className="numeric" key={name}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.kind}>
              <th scope="row">{row.kind.replace('_', ' ')}</th>
              <td className="numeric">{row.total}</td>
              <td className="numeric">{row.open}</td>
              <td className="numeric">{row.overdue}</td>
              <td className="numeric">{row.closedOnTime}</td>
              <td className="numeric">{row.closedLate}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Runs({
  runs,
  last,
}: {
  runs: Array<{ status: string; startedAt: string; finishedAt: string | null }>;
  last: string | null;
}) {
  return (
    <>
      <p>Last successful retention run: {last === null ? 'none yet' : formatDateTime(last)}.</p>
      <div className="table-wrapper">
        <table className="table">
          <caption>Recent retention runs</caption>
          <thead>
            <tr>
              <th scope="col">Outcome</th>
              <th scope="col">Started</th>
              <th scope="col">Finished</th>
            </tr>
          </thead>
          <tbody>
            {runs.length === 0 ? (
              <tr>
                <td colSpan={3}>No runs recorded yet.</td>
              </tr>
            ) : (
              runs.map((run) => (
                <tr key={run.startedAt}>
                  <td>{run.status}</td>
                  <td>{formatDateTime(run.startedAt)}</td>
                  <td>{formatDateTime(run.finishedAt)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
