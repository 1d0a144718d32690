import { Link, useLocation } from 'react-router';
import { formatDateTime, Page } from '../../components/page.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { useSession } from '../../session/session.tsx';
import { ImportsOnly } from './access.tsx';
import type { HistoryNotice } from './discard-import.tsx';
import { useImportList, type ImportSummaryView } from './imports-api.ts';
import { changes, count, formatLabel, readCountsText, startedBy, StatusTag } from './imports-text.tsx';
import './imports.css';
import { TableRegion } from './table-region.tsx';

function isHistoryNotice(value: unknown): value is HistoryNotice {
  return typeof value === 'object' && value !== null && 'notice' in value && typeof value.notice === 'string';
}

function Records({ entry }: { entry: ImportSummaryView }) {
  const changed = changes(entry.counts).filter((change) => change.value > 0);
  return (
    <>
      {readCountsText(entry.counts)}
      {entry.status === 'committed' ? (
        <span className="import-history__changes">
          {changed.length === 0
            ? 'Nothing needed changing'
            : changed.map((change) => `${change.label}: ${count(change.value)}`).join('; ')}
        </span>
      ) : null}
    </>
  );
}

function HistoryTable({ schoolId, list }: { schoolId: string; list: ImportSummaryView[] }) {
  const me = useSession();
  if (list.length === 0) {
    return <p>No files have been imported yet.</p>;
  }
  return (
    <TableRegion label="Import history">
      <table className="table">
        <caption>Import history, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Uploaded</th>
            <th scope="col">By</th>
            <th scope="col">File</th>
            <th scope="col">Status</th>
            <th scope="col">Records</th>
            <th scope="col" className="numeric">
              Errors
            </th>
            <th scope="col" className="numeric">
              Warnings
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((entry) => (
            <tr key={entry.id}>
              <th scope="row">
                <Link to={`/schools/${schoolId}/imports/${entry.id}`}>
                  {formatDateTime(entry.createdAt)}
                  <span className="visually-hidden">: see this import</span>
                </Link>
              </th>
              <td>{startedBy(entry.createdBy, me.id)}</td>
              <td>{formatLabel(entry.format)}</td>
              <td>
                <StatusTag status={entry.status} />
              </td>
              <td>
                <Records entry={entry} />
              </td>
              <td className="numeric">{count(entry.errors)}</td>
              <td className="numeric">{count(entry.warnings)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

/** Every import of the school, newest first, each linking to its report. */
export function ImportHistoryPage() {
  const location = useLocation();
  const state: unknown = location.state;
  return (
    <ImportsOnly>
      {(school) => (
        <Page title="Imports">
          {isHistoryNotice(state) ? (
            <Notice tone="success">
              <p>{state.notice}</p>
            </Notice>
          ) : null}
          <p>
            Load pupil data and results from your MIS exports. Haven checks every row first and writes the
            whole file, or nothing.
          </p>
          <p>
            <Link to={`/schools/${school.id}/imports/new`} className="button button--primary">
              Import data
            </Link>
          </p>
          <History schoolId={school.id} />
        </Page>
      )}
    </ImportsOnly>
  );
}

function History({ schoolId }: { schoolId: string }) {
  const imports = useImportList(schoolId);
  return (
    <QueryView query={imports} what="the import history">
      {(list) => <HistoryTable schoolId={schoolId} list={list} />}
    </QueryView>
  );
}
