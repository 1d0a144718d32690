import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, withQuery } from '../../api/client.ts';
import { Button, formText, SelectField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';
import {
  KIND_NAMES,
  listKey,
  privacyPath,
  shortDate,
  STATUS_NAMES,
  timeLeft,
  type Assignees,
  type RequestList,
  type RequestRow,
} from './api.ts';
import './privacy.css';

const FILTERS = [
  { value: 'open', label: 'Open requests' },
  { value: 'closed', label: 'Closed requests' },
  { value: 'all', label: 'All requests' },
] as const;
type Filter = (typeof FILTERS)[number]['value'];

function filterOf(value: string | null): Filter {
  return FILTERS.find((filter) => filter.value === value)?.value ?? 'open';
}

function TimeLeft({ request }: { request: RequestRow }) {
  const words = timeLeft(request);
  const urgent = request.urgency === 'overdue' || request.urgency === 'due_soon';
  return <span className={urgent ? 'urgent' : undefined}>{words}</span>;
}

function Counts({ counts }: { counts: RequestList['counts'] }) {
  const figures = [
    { value: counts.open, label: 'Open' },
    { value: counts.overdue, label: 'Overdue' },
    { value: counts.dueSoon, label: 'Due within 7 days' },
    { value: counts.paused, label: 'Clock stopped' },
  ];
  return (
    <section aria-labelledby="counts-title">
      <h2 id="counts-title" className="visually-hidden">
        At a glance
      </h2>
      <ul className="figures">
        {figures.map((figure) => (
          <li className="figure-card" key={figure.label}>
            <span className="figure-card__value">{figure.value}</span>
            <span className="figure-card__label">{figure.label}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The school's register of data subject requests: counts, the requests by due date, a filter. */
export function PrivacyRegisterPage() {
  const school = useSchool();
  const [params, setParams] = useSearchParams();
  const status = filterOf(params.get('status'));
  const list = useQuery({
    queryKey: [...listKey(school.id), status],
    queryFn: () => api.get<RequestList>(withQuery(`${privacyPath(school.id)}/requests`, { status })),
    placeholderData: keepPreviousData,
  });
  const assignees = useQuery({
    queryKey: ['privacy-assignees', school.id],
    queryFn: () => api.get<Assignees>(`${privacyPath(school.id)}/assignees`),
  });
  const emailOf = (userId: string | null) =>
    userId === null
      ? 'Nobody yet'
      : (assignees.data?.assignees.find((entry) => entry.userId === userId)?.email ?? 'A former colleague');
  const choose = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setParams({ status: filterOf(formText(new FormData(event.currentTarget), 'status')) });
  };
  const caption = FILTERS.find((filter) => filter.value === status)?.label ?? 'Requests';
  return (
    <Page title="Privacy requests" caption={school.name}>
      <p>
        Requests from pupils, parents and others to see, correct, erase or limit the use of their data. The
        law gives one calendar month to answer; Haven works out each deadline.
      </p>
      <p>
        <Link to={`/schools/${school.id}/privacy/new`} className="button button--primary">
          Record a request
        </Link>
      </p>
      <QueryView query={list} what="the requests">
        {(result) => (
          <>
            <Counts counts={result.counts} />
            <form className="filters" onSubmit={choose} aria-label="Which requests to show">
              <SelectField id="status" label="Show" defaultValue={status} options={FILTERS} key={status} />
              <Button variant="secondary">Show requests</Button>
            </form>
            {result.requests.length === 0 ? (
              <p>There are no {status === 'all' ? '' : `${status} `}requests.</p>
            ) : (
              <div className="table-wrapper">
                <table className="table">
                  <caption>
                    {caption} ({result.requests.length}), by due date
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Reference</th>
                      <th scope="col">What they asked for</th>
                      <th scope="col">Received</th>
                      <th scope="col">Due</th>
                      <th scope="col">Time left</th>
                      <th scope="col">Status</th>
                      <th scope="col">Assigned to</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.requests.map((request) => (
                      <tr key={request.id}>
                        <td>
                          <Link to={`/schools/${school.id}/privacy/requests/${request.id}`}>
                            {request.reference}
                          </Link>
                        </td>
                        <td>{KIND_NAMES[request.kind]}</td>
                        <td>
                          {shortDate(request.receivedOn)}
                          {request.receivedVia === 'platform' ? (
                            <span className="hint received-via">Received via the platform</span>
                          ) : null}
                        </td>
                        <td>{shortDate(request.dueOn)}</td>
                        <td>
                          <TimeLeft request={request} />
                        </td>
                        <td>{STATUS_NAMES[request.status]}</td>
                        <td>{emailOf(request.assigneeId)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </QueryView>
    </Page>
  );
}
