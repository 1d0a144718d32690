import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { Page } from '../../components/page.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { useSession } from '../../session/session.tsx';
import { dashboardKey, money, STATE_NAMES, type DashboardView, type Scope } from './api.ts';
import { ChildTable, useScope } from './parts.tsx';
import './pep.css';

function Figures({ dashboard, scope }: { dashboard: DashboardView; scope: Scope }) {
  return (
    <ul className="figures">
      <li className="figure-card">
        <span className="figure-card__value">{dashboard.children}</span>
        <span className="figure-card__label">Children in care</span>
      </li>
      <li className="figure-card">
        <span className="figure-card__value">{Math.round(dashboard.completionPercent)}%</span>
        <span className="figure-card__label">PEPs signed off this term</span>
      </li>
      <li className="figure-card">
        <span className="figure-card__value">{dashboard.overdue}</span>
        <span className="figure-card__label">
          <Link to={`${scope.web}/children?overdue=yes`}>Overdue PEPs</Link>
        </span>
      </li>
      <li className="figure-card">
        <span className="figure-card__value">{dashboard.dueSoon}</span>
        <span className="figure-card__label">Due in the next 5 working days</span>
      </li>
    </ul>
  );
}

function StateTable({ dashboard, scope }: { dashboard: DashboardView; scope: Scope }) {
  const rows: Array<[keyof DashboardView['byState'], string]> = [
    ['not_started', 'Not started'],
    ['draft', STATE_NAMES.draft],
    ['submitted', STATE_NAMES.submitted],
    ['returned', STATE_NAMES.returned],
    ['approved', STATE_NAMES.approved],
    ['signed_off', STATE_NAMES.signed_off],
  ];
  return (
    <div className="table-wrapper">
      <table className="table pep-narrow-table">
        <caption>{dashboard.termLabel} PEPs by stage</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" className="numeric">
              Children
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([state, label]) => (
            <tr key={state}>
              <th scope="row">
                <Link to={`${scope.web}/children?state=${state}`}>{label}</Link>
              </th>
              <td className="numeric">{dashboard.byState[state]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function QaTable({ dashboard }: { dashboard: DashboardView }) {
  const rows: Array<[string, number]> = [
    ['Green: good', dashboard.qa.green],
    ['Amber: needs improvement', dashboard.qa.amber],
    ['Red: not good enough', dashboard.qa.red],
    ['Not rated yet', dashboard.qa.unrated],
  ];
  return (
    <div className="table-wrapper">
      <table className="table pep-narrow-table">
        <caption>Quality assurance ratings, {dashboard.termLabel}</caption>
        <thead>
          <tr>
            <th scope="col">Rating</th>
            <th scope="col" className="numeric">
              PEPs
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, count]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="numeric">{count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The virtual school's term at a glance: completion, what is late, QA ratings, funding, who needs attention. */
export function PepDashboardPage() {
  const scope = useScope();
  const me = useSession();
  const authority = me.memberships.find((membership) => membership.orgId === scope.orgId);
  const dashboard = useQuery({
    queryKey: dashboardKey(scope),
    queryFn: () => api.get<DashboardView>(`${scope.api}/dashboard`),
  });
  return (
    <Page title="Personal Education Plans" caption={authority?.orgName ?? 'Virtual school'}>
      <QueryView query={dashboard} what="the dashboard">
        {(figures) => (
          <>
            <h2>{figures.termLabel}</h2>
            <Figures dashboard={figures} scope={scope} />
            {figures.linkRequests.waiting + figures.linkRequests.refused > 0 ? (
              <Notice tone={figures.linkRequests.refused > 0 ? 'warning' : 'info'} title="Links to schools">
                <p>
                  {figures.linkRequests.waiting} waiting for a school to agree; {figures.linkRequests.refused}{' '}
                  refused by the school. <Link to={`${scope.web}/children`}>See the children</Link>
                </p>
              </Notice>
            ) : null}
            <div className="pep-columns">
              <section aria-labelledby="stages-title">
                <h2 id="stages-title">Stages</h2>
                <StateTable dashboard={figures} scope={scope} />
              </section>
              <section aria-labelledby="qa-title">
                <h2 id="qa-title">Quality</h2>
                <QaTable dashboard={figures} />
              </section>
            </div>
            <section aria-labelledby="funding-title">
              <h2 id="funding-title">Pupil Premium Plus</h2>
              <dl className="summary-list">
                <div>
                  <dt>Requested this term</dt>
                  <dd>{money(figures.funding.requestedPence)}</dd>
                </div>
                <div>
                  <dt>Approved this term</dt>
                  <dd>{money(figures.funding.approvedPence)}</dd>
                </div>
              </dl>
            </section>
            <section aria-labelledby="attention-title">
              <h2 id="attention-title">Needs attention</h2>
              {figures.attention.length === 0 ? (
                <p>No PEP is overdue or due in the next 5 working days.</p>
              ) : (
                <ChildTable
                  scope={scope}
                  rows={figures.attention}
                  caption="PEPs overdue or due soon, earliest first"
                />
              )}
              <p>
                <Link to={`${scope.web}/children`}>All children</Link> ·{' '}
                <Link to={`${scope.web}/children/new`}>Add a child</Link>
              </p>
            </section>
          </>
        )}
      </QueryView>
    </Page>
  );
}
