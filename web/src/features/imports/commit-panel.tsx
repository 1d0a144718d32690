import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/page.tsx';
import { Button } from '../../components/form.tsx';
import { ErrorNotice, Notice } from '../../components/status.tsx';
import { DiscardImport } from './discard-import.tsx';
import {
  importPath,
  importsKey,
  type Committing,
  type ImportDetailView,
  type ImportReport,
  type ImportStatus,
} from './imports-api.ts';
import { changes, count, readCountsText } from './imports-text.tsx';
import { stepUrl } from './steps.tsx';

/** Rows the commit will write: a pupil or a result per row read. */
function totalRows(report: ImportReport | undefined): number {
  return (report?.counts.pupils ?? 0) + (report?.counts.results ?? 0);
}

const OUTCOME_TEXT: Record<Exclude<ImportStatus, 'committing'>, string> = {
  committed: 'Import complete.',
  failed: 'The import stopped before the end. Nothing was written.',
  refused: 'The file has errors, so it was not imported.',
  validated: '',
  discarded: '',
};

/** Said by screen readers as it changes (the region is always on the page, so updates are announced). */
function progressText(detail: ImportDetailView, total: number): string {
  if (detail.status !== 'committing') {
    return OUTCOME_TEXT[detail.status];
  }
  return detail.progressRows === undefined
    ? 'Importing: starting to write…'
    : `Importing: ${count(detail.progressRows)} of ${count(Math.max(total, detail.progressRows))} rows written`;
}

export function WhatChanged({ counts }: { counts: Record<string, number> }) {
  const changed = changes(counts);
  return (
    <dl className="summary-list">
      {changed.map((change) => (
        <div key={change.name}>
          <dt>{change.label}</dt>
          <dd>{count(change.value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Success({
  schoolId,
  detail,
  analysis,
}: {
  schoolId: string;
  detail: ImportDetailView;
  analysis: boolean;
}) {
  return (
    <>
      <div className="notice notice--success">
        <h2 className="notice__title">Your data has been imported</h2>
        <p>
          Every row was written at {formatDateTime(detail.committedAt)}. The uploaded file has been destroyed:
          Haven keeps only the data it read.
        </p>
      </div>
      <h2>What changed</h2>
      <WhatChanged counts={detail.counts} />
      <h2>What next</h2>
      <ul>
        <li>
          <Link to={`/schools/${schoolId}`}>Go to the school home page</Link>
        </li>
        {analysis ? (
          <li>
            <Link to={`/schools/${schoolId}/analysis`}>See the analysis with the new data</Link>
          </li>
        ) : null}
        <li>
          <Link to={`/schools/${schoolId}/imports/new`}>Import another file</Link>
        </li>
        <li>
          <Link to={`/schools/${schoolId}/imports`}>See all imports</Link>
        </li>
      </ul>
    </>
  );
}

function Progress({ detail, total }: { detail: ImportDetailView; total: number }) {
  const done = detail.progressRows;
  return (
    <div className="import-progress">
      <label htmlFor="import-progress-bar" className="label">
        Rows written
      </label>
      {done === undefined ? (
        <progress id="import-progress-bar" />
      ) : (
        <progress id="import-progress-bar" value={done} max={Math.max(total, done, 1)} />
      )}
    </div>
  );
}

/**
 * Step 4: write the checked file (all or nothing) with progress, then what changed. Also used on an
 * import's own page, where a checked import can be finished later.
 */
export function CommitPanel({
  schoolId,
  detail,
  report,
  analysis,
}: {
  schoolId: string;
  detail: ImportDetailView;
  report: ImportReport | undefined;
  analysis: boolean;
}) {
  const queryClient = useQueryClient();
  const commit = useMutation({
    mutationFn: () => api.post<Committing>(`${importPath(schoolId, detail.id)}/commit`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importsKey(schoolId) }),
  });
  const total = totalRows(report);
  const ready = detail.status === 'validated' || detail.status === 'failed';
  return (
    <>
      {detail.status === 'committing' ? <Progress detail={detail} total={total} /> : null}
      {/* Always on the page, so each change is announced; seen only while the bar is. */}
      <output className={detail.status === 'committing' ? 'import-progress__status' : 'visually-hidden'}>
        {progressText(detail, total)}
      </output>
      {detail.status === 'committing' ? (
        <p className="hint">
          You can leave this page: the import carries on, and its page in the import history shows how it
          went.
        </p>
      ) : null}
      {detail.status === 'committed' ? (
        <Success schoolId={schoolId} detail={detail} analysis={analysis} />
      ) : null}
      {detail.status === 'refused' ? (
        <Notice tone="warning" title="This file has errors">
          <p>
            It cannot be imported until they are fixed.{' '}
            <Link to={stepUrl(schoolId, detail.id, 'report')}>See the errors and what to do</Link>
          </p>
        </Notice>
      ) : null}
      {detail.status === 'discarded' ? (
        <Notice title="This import was discarded">
          <p>Nothing from it was written.</p>
        </Notice>
      ) : null}
      {ready ? (
        <>
          {detail.status === 'failed' ? (
            <Notice tone="warning" title="The last attempt stopped before the end">
              <p>Nothing was written. You can import the file again.</p>
            </Notice>
          ) : null}
          <p>
            Haven will write {report === undefined ? 'the file' : readCountsText(report.counts)}. It writes
            everything in one go: either every row is written, or nothing is.
          </p>
          {commit.isError ? <ErrorNotice error={commit.error} title="The import could not start" /> : null}
          <div className="button-group">
            <Button type="button" busy={commit.isPending} onClick={() => commit.mutate()}>
              Import now
            </Button>
            <DiscardImport schoolId={schoolId} importId={detail.id} />
          </div>
        </>
      ) : null}
    </>
  );
}
