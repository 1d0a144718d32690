// The frame every analysis page shares: heading, sub-navigation that keeps the filters, the filter bar
// (its values live in the URL so a view can be shared), and the sentence saying what is shown.
import type { ReactNode } from 'react';
import { NavLink, useSearchParams } from 'react-router';
import { Page } from '../../components/page.tsx';
import { Notice } from '../../components/status.tsx';
import { can, useSchool } from '../../session/session.tsx';
import { sharedSearch, type Report } from './analysis-api.ts';
import { FilterBar } from './filter-bar.tsx';
import { estimatesLabel, facetWords, yearGroupLabel } from './labels.ts';
import './analysis.css';

const SECTIONS: ReadonlyArray<{ path: string; label: string; report: Report }> = [
  { path: '', label: 'Headline', report: 'headline' },
  { path: '/progress-8', label: 'Progress 8', report: 'progress8' },
  { path: '/gaps', label: 'Subgroup gaps', report: 'gaps' },
  { path: '/targets', label: 'Targets', report: 'targets' },
  { path: '/residuals', label: 'Residuals', report: 'residuals' },
];

function AnalysisNav({ schoolId }: { schoolId: string }) {
  const [params] = useSearchParams();
  const search = sharedSearch(params);
  return (
    <nav className="analysis-nav" aria-label="Analysis reports">
      <ul>
        {SECTIONS.map((section) => (
          <li key={section.report}>
            <NavLink to={{ pathname: `/schools/${schoolId}/analysis${section.path}`, search }} end>
              {section.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Every analysis page: its heading, the report menu, the filters, then the page's own content. */
export function AnalysisPage({
  title,
  report,
  extra,
  extraDefaults,
  children,
}: {
  title: string;
  report: Report;
  extra?: ReactNode;
  extraDefaults?: Readonly<Record<string, string>>;
  children: ReactNode;
}) {
  const school = useSchool();
  if (!can(school, 'analysis.read')) {
    return (
      <Page title={title} caption="Analysis">
        <Notice title="You cannot see analysis for this school">
          <p>
            Your role does not include reading analysis. Ask your school’s Haven administrator if you need it.
          </p>
        </Notice>
      </Page>
    );
  }
  return (
    <Page title={title} caption="Analysis">
      <AnalysisNav schoolId={school.id} />
      <FilterBar report={report} extra={extra} extraDefaults={extraDefaults} />
      <div className="analysis">{children}</div>
    </Page>
  );
}

/** What a report covers, in a sentence (the API picks the latest point when none is chosen). */
export function ScopeLine({
  point,
  facet,
  yearGroup,
  estimates,
  pupils,
}: {
  point: { name: string } | null;
  facet: string;
  yearGroup?: number | undefined;
  estimates?: string | undefined;
  pupils?: number | undefined;
}) {
  const where = point === null ? 'no assessment point yet' : point.name;
  const who = yearGroup === undefined ? 'every year group' : yearGroupLabel(yearGroup);
  return (
    <p className="analysis-scope">
      Showing <strong>{facetWords(facet)}</strong> at <strong>{where}</strong> for <strong>{who}</strong>
      {pupils === undefined ? '' : ` (${pupils} ${pupils === 1 ? 'pupil' : 'pupils'} you can see)`}
      {estimates === undefined ? '' : `, against the ${estimatesLabel(estimates)} Progress 8 estimates`}.
    </p>
  );
}

/** An empty cohort, said plainly with the API's own reason. */
export function EmptyCohort({ reason }: { reason: string | undefined }) {
  return (
    <Notice title="There is nothing to show for this view">
      <p>{reason ?? 'No pupil you can see has grades for this choice.'}</p>
      <p>
        Try another assessment point or kind of grades above. Teachers see only the pupils in the classes they
        teach.
      </p>
    </Notice>
  );
}

/** Report downloads outside a chart. */
export function DownloadList({ links }: { links: ReadonlyArray<{ label: string; href: string }> }) {
  return (
    <ul className="download-links">
      {links.map((link) => (
        <li key={link.href}>
          <a href={link.href} download>
            {link.label}
          </a>
        </li>
      ))}
    </ul>
  );
}
