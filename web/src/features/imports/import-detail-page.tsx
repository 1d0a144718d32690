import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import type { MySchool } from '../../api/types.ts';
import { formatDateTime, Page } from '../../components/page.tsx';
import { ErrorNotice, Loading } from '../../components/status.tsx';
import { can, useSession } from '../../session/session.tsx';
import { ImportsOnly } from './access.tsx';
import { CommitPanel } from './commit-panel.tsx';
import { DroppedColumns, FixGuidance, PreviewSection, ReportFigures } from './import-report.tsx';
import { fileTypeOf, hasReport, isOpen, useImport, type ImportDetailView } from './imports-api.ts';
import { fileSize, formatLabel, startedBy, statusMeaning, StatusTag } from './imports-text.tsx';
import { IssuesSection } from './issues-section.tsx';
import { stepUrl } from './steps.tsx';
import './imports.css';

/** One import: its status and report; a checked import can be imported or discarded from here. */
export function ImportDetailPage() {
  const { importId = '' } = useParams();
  return <ImportsOnly>{(school) => <Detail school={school} importId={importId} />}</ImportsOnly>;
}

function Facts({ detail }: { detail: ImportDetailView }) {
  const me = useSession();
  return (
    <dl className="summary-list">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusTag status={detail.status} /> {statusMeaning(detail.status)}
        </dd>
      </div>
      <div>
        <dt>File</dt>
        <dd>
          {formatLabel(detail.format)}, {fileSize(detail.fileSize)}
        </dd>
      </div>
      <div>
        <dt>Uploaded by</dt>
        <dd>{startedBy(detail.createdBy, me.id)}</dd>
      </div>
      <div>
        <dt>Uploaded</dt>
        <dd>{formatDateTime(detail.createdAt)}</dd>
      </div>
      {detail.committedAt === null ? null : (
        <div>
          <dt>Imported</dt>
          <dd>{formatDateTime(detail.committedAt)}</dd>
        </div>
      )}
    </dl>
  );
}

function Detail({ school, importId }: { school: MySchool; importId: string }) {
  const query = useImport(school.id, importId);
  if (query.isPending) {
    return (
      <Page title="Import" caption="Imports">
        <Loading what="the import" />
      </Page>
    );
  }
  if (query.isError) {
    return (
      <Page
        title={query.error instanceof ApiError && query.error.status === 404 ? 'Import not found' : 'Import'}
        caption="Imports"
      >
        <ErrorNotice error={query.error} title="Could not load this import" />
        <p>
          <Link to={`/schools/${school.id}/imports`}>Back to the import history</Link>
        </p>
      </Page>
    );
  }
  const detail = query.data;
  const report = hasReport(detail.report) ? detail.report : undefined;
  const open = detail.status === 'validated' || detail.status === 'failed';
  const tabular = fileTypeOf(detail.format) === 'csv' || fileTypeOf(detail.format) === 'xlsx';
  return (
    <Page title={`Import uploaded ${formatDateTime(detail.createdAt)}`} caption="Imports">
      <p>
        <Link to={`/schools/${school.id}/imports`}>Back to the import history</Link>
      </p>
      <Facts detail={detail} />
      {detail.status === 'refused' && report !== undefined ? (
        <FixGuidance schoolId={school.id} importId={importId} report={report} open />
      ) : (
        <div className="import-outcome">
          {open ? <h2>Import this file</h2> : null}
          {detail.status === 'committing' ? <h2>Importing now</h2> : null}
          <CommitPanel
            schoolId={school.id}
            detail={detail}
            report={report}
            analysis={can(school, 'analysis.read')}
          />
          {tabular && open ? (
            <p>
              <Link to={stepUrl(school.id, importId, 'columns')}>Check how the columns were matched</Link>{' '}
              before importing.
            </p>
          ) : null}
        </div>
      )}
      {report === undefined ? (
        <p>There is no report for this import.</p>
      ) : (
        <section aria-labelledby="report-title">
          <h2 id="report-title">The report</h2>
          <ReportFigures report={report} />
          <DroppedColumns report={report} />
          <IssuesSection schoolId={school.id} importId={importId} report={report} />
          {isOpen(detail.status) ? <PreviewSection schoolId={school.id} importId={importId} /> : null}
        </section>
      )}
    </Page>
  );
}
