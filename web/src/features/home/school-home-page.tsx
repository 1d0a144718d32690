import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Static } from 'typebox';
import type { HeadlineResponse } from '../../../../src/modules/analysis/analysis.schema.ts';
import type { ImportSummary } from '../../../../src/modules/imports/imports.schema.ts';
import type { LinkRequests } from '../../../../src/modules/pep/pep.schema.ts';
import { api } from '../../api/client.ts';
import type { MySchool } from '../../api/types.ts';
import { formatDateTime, formatNumber, formatSigned, Page } from '../../components/page.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { can, useSchool } from '../../session/session.tsx';
import { RequestsDue } from '../privacy/requests-due.tsx';
import { TermsDue } from '../terms/terms-due.tsx';

type Imports = Array<Static<typeof ImportSummary>>;
type Headline = Static<typeof HeadlineResponse>;
type PepLinks = Static<typeof LinkRequests>;

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

/** Data freshness and import status: what a data manager checks first each morning. */
function DataStatus({ school }: { school: MySchool }) {
  const imports = useQuery({
    queryKey: ['imports', school.id],
    queryFn: () => api.get<Imports>(`/api/v1/schools/${school.id}/imports`),
  });
  return (
    <section aria-labelledby="data-title">
      <h2 id="data-title">Your data</h2>
      <QueryView query={imports} what="imports">
        {(list) => {
          const committed = list.find((entry) => entry.status === 'committed');
          const waiting = list.filter((entry) => entry.status === 'validated');
          const running = list.filter((entry) => entry.status === 'committing');
          return (
            <>
              <p>
                {committed === undefined
                  ? 'No data has been imported yet.'
                  : `Last import committed ${formatDateTime(committed.committedAt)}.`}
              </p>
              {running.length > 0 ? (
                <Notice>
                  <p>
                    {running.length} import{running.length === 1 ? ' is' : 's are'} being written now.
                  </p>
                </Notice>
              ) : null}
              {waiting.length > 0 ? (
                <Notice tone="warning" title="Waiting for you">
                  <p>
                    {waiting.length} checked import{waiting.length === 1 ? ' is' : 's are'} waiting to be
                    committed or discarded. <Link to={`/schools/${school.id}/imports`}>Review imports</Link>
                  </p>
                </Notice>
              ) : null}
              <p>
                <Link to={`/schools/${school.id}/imports/new`} className="button button--primary">
                  Import data
                </Link>
              </p>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function HeadlineFigures({ school }: { school: MySchool }) {
  const headline = useQuery({
    queryKey: ['analysis', school.id, 'headline', ''],
    queryFn: () => api.get<Headline>(`/api/v1/schools/${school.id}/analysis/headline`),
  });
  return (
    <section aria-labelledby="headline-title">
      <h2 id="headline-title">Headline figures</h2>
      <QueryView query={headline} what="headline figures">
        {(figures) =>
          figures.pupils === 0 ? (
            <p>There are no results to analyse yet.</p>
          ) : (
            <>
              <ul className="figures">
                <li className="figure-card">
                  <span className="figure-card__value">{formatSigned(figures.progress8?.progress8)}</span>
                  <span className="figure-card__label">
                    Progress 8{figures.progress8 === null ? ' (not available)' : ''}
                  </span>
                </li>
                <li className="figure-card">
                  <span className="figure-card__value">{formatNumber(figures.attainment8, 1)}</span>
                  <span className="figure-card__label">Attainment 8</span>
                </li>
                <li className="figure-card">
                  <span className="figure-card__value">{percent(figures.basicsStandard)}</span>
                  <span className="figure-card__label">Grade 4+ in English and maths</span>
                </li>
                <li className="figure-card">
                  <span className="figure-card__value">{figures.pupils}</span>
                  <span className="figure-card__label">Pupils in the cohort</span>
                </li>
              </ul>
              <p>
                <Link to={`/schools/${school.id}/analysis`}>See the full analysis</Link>
              </p>
            </>
          )
        }
      </QueryView>
    </section>
  );
}

/** Designated teachers: virtual schools waiting for the school to agree a link, and the PEPs page. */
function PepStatus({ school }: { school: MySchool }) {
  const links = useQuery({
    queryKey: ['pep', school.id, 'links'],
    queryFn: () => api.get<PepLinks>(`/api/v1/schools/${school.id}/pep/links`),
  });
  return (
    <section aria-labelledby="pep-title">
      <h2 id="pep-title">Personal Education Plans</h2>
      <QueryView query={links} what="the looked-after children">
        {(data) => (
          <>
            {data.waiting.length > 0 ? (
              <Notice tone="warning" title="Waiting for you">
                <p>
                  {data.waiting.length} virtual school request{data.waiting.length === 1 ? ' is' : 's are'}{' '}
                  waiting for you to agree or refuse a link.
                </p>
              </Notice>
            ) : null}
            <p>
              {data.linked.length} looked-after child{data.linked.length === 1 ? ' is' : 'ren are'} linked to
              your school. <Link to={`/schools/${school.id}/pep`}>Open PEPs</Link>
            </p>
          </>
        )}
      </QueryView>
    </section>
  );
}

export function SchoolHomePage() {
  const school = useSchool();
  return (
    <Page title={school.name} caption="School home">
      {can(school, 'users.manage') ? <TermsDue school={school} /> : null}
      {can(school, 'privacy.manage') ? <RequestsDue school={school} /> : null}
      {can(school, 'pep.read') ? <PepStatus school={school} /> : null}
      {can(school, 'imports.run') ? <DataStatus school={school} /> : null}
      {can(school, 'analysis.read') ? <HeadlineFigures school={school} /> : null}
      {can(school, 'users.manage') ? (
        <section aria-labelledby="admin-title">
          <h2 id="admin-title">Running Haven for your school</h2>
          <ul>
            <li>
              <Link to={`/schools/${school.id}/staff`}>Staff accounts and roles</Link>
            </li>
            <li>
              <Link to={`/schools/${school.id}/terms`}>Haven’s terms of service</Link>
            </li>
            <li>
              <Link to={`/schools/${school.id}/settings`}>Security settings</Link>
            </li>
          </ul>
        </section>
      ) : null}
    </Page>
  );
}
