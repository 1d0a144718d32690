import { Link, useSearchParams } from 'react-router';
import type { MySchool } from '../../api/types.ts';
import { Page } from '../../components/page.tsx';
import { ErrorNotice, Loading, Notice } from '../../components/status.tsx';
import { can } from '../../session/session.tsx';
import { ImportsOnly } from './access.tsx';
import { ColumnsStep } from './columns-step.tsx';
import { CommitPanel } from './commit-panel.tsx';
import { DiscardImport } from './discard-import.tsx';
import { DroppedColumns, FixGuidance, PreviewSection, ReportFigures } from './import-report.tsx';
import {
  errorTotal,
  hasReport,
  isOpen,
  useImport,
  type ImportDetailView,
  type ImportReport,
} from './imports-api.ts';
import { IssuesSection } from './issues-section.tsx';
import { UploadStep } from './upload-step.tsx';
import { isStep, StepIndicator, stepNumber, STEPS, stepUrl, type StepKey } from './steps.tsx';
import './imports.css';

const STEP_TITLES: Record<Exclude<StepKey, 'import'>, string> = {
  file: 'Choose a file to import',
  columns: 'Check the columns',
  report: 'Check the report',
};

const caption = (step: StepKey) => `Import data: step ${stepNumber(step)} of ${STEPS.length}`;

/** The import wizard: choose a file, check its columns, check the report, import. */
export function ImportWizardPage() {
  return <ImportsOnly>{(school) => <Wizard school={school} />}</ImportsOnly>;
}

function Wizard({ school }: { school: MySchool }) {
  const [params] = useSearchParams();
  const importId = params.get('import');
  const step = params.get('step');
  if (importId === null) {
    return (
      <Page title="Choose a file to import" caption={caption('file')}>
        <StepIndicator current="file" schoolId={school.id} />
        <UploadStep schoolId={school.id} replaces={params.get('replaces') ?? undefined} />
      </Page>
    );
  }
  return (
    <WizardStep
      school={school}
      importId={importId}
      step={isStep(step) && step !== 'file' ? step : 'columns'}
    />
  );
}

function stepTitle(step: StepKey, detail: ImportDetailView): string {
  if (step !== 'import') {
    return STEP_TITLES[step];
  }
  if (detail.status === 'committed') {
    return 'Import complete';
  }
  return detail.status === 'committing' ? 'Importing your data' : 'Import the data';
}

function WizardStep({ school, importId, step }: { school: MySchool; importId: string; step: StepKey }) {
  const query = useImport(school.id, importId);
  if (query.isPending) {
    return (
      <Page title="Import data">
        <Loading what="your import" />
      </Page>
    );
  }
  if (query.isError) {
    return (
      <Page title="Import data">
        <ErrorNotice error={query.error} title="Could not load your import" />
        <p>
          <Link to={`/schools/${school.id}/imports/new`}>Start a new import</Link>
        </p>
      </Page>
    );
  }
  const detail = query.data;
  if (detail.status === 'discarded') {
    return (
      <Page title="This import was discarded">
        <p>Nothing from it was written, and the uploaded file has been destroyed.</p>
        <p>
          <Link to={`/schools/${school.id}/imports/new`} className="button button--primary">
            Start a new import
          </Link>
        </p>
      </Page>
    );
  }
  // Once writing has started there is no going back to earlier steps.
  const current = detail.status === 'committing' || detail.status === 'committed' ? 'import' : step;
  const report = hasReport(detail.report) ? detail.report : undefined;
  return (
    <Page title={stepTitle(current, detail)} caption={caption(current)}>
      <StepIndicator
        current={current}
        schoolId={school.id}
        importId={isOpen(detail.status) ? importId : undefined}
      />
      {current === 'columns' && report !== undefined ? (
        <ColumnsStep schoolId={school.id} importId={importId} report={report} />
      ) : null}
      {current === 'report' && report !== undefined ? (
        <ReportStep schoolId={school.id} detail={detail} report={report} />
      ) : null}
      {current === 'import' ? (
        <CommitPanel
          schoolId={school.id}
          detail={detail}
          report={report}
          analysis={can(school, 'analysis.read')}
        />
      ) : null}
      {report === undefined && current !== 'import' ? (
        <Notice tone="warning" title="Haven could not read this file">
          <p>
            <Link to={`/schools/${school.id}/imports/new?replaces=${importId}`}>Upload the file again</Link>
          </p>
        </Notice>
      ) : null}
    </Page>
  );
}

function ReportStep({
  schoolId,
  detail,
  report,
}: {
  schoolId: string;
  detail: ImportDetailView;
  report: ImportReport;
}) {
  const blocked = errorTotal(report) > 0;
  return (
    <>
      <ReportFigures report={report} />
      {blocked ? (
        <FixGuidance schoolId={schoolId} importId={detail.id} report={report} open={isOpen(detail.status)} />
      ) : (
        <div className="notice notice--success">
          <h2 className="notice__title">No errors: this file is ready to import</h2>
          <p>
            Check the warnings and the first rows below, then continue. Nothing is written until you import
            it.
          </p>
        </div>
      )}
      <DroppedColumns report={report} />
      <IssuesSection schoolId={schoolId} importId={detail.id} report={report} />
      {isOpen(detail.status) ? <PreviewSection schoolId={schoolId} importId={detail.id} /> : null}
      <div className="button-group">
        {detail.status === 'validated' ? (
          <Link to={stepUrl(schoolId, detail.id, 'import')} className="button button--primary">
            Continue to import
          </Link>
        ) : null}
        <Link to={stepUrl(schoolId, detail.id, 'columns')} className="button button--secondary">
          Back to the columns
        </Link>
        {blocked ? null : <DiscardImport schoolId={schoolId} importId={detail.id} />}
      </div>
    </>
  );
}
