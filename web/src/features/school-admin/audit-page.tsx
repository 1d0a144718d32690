import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { Static } from 'typebox';
import type { AuditPage as AuditPageSchema } from '../../../../src/modules/audit/audit.schema.ts';
import { api, withQuery } from '../../api/client.ts';
import { Button, formText, TextField } from '../../components/form.tsx';
import { formatDateTime, Page } from '../../components/page.tsx';
import { QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';

type AuditEvents = Static<typeof AuditPageSchema>;
const FILTERS = ['action', 'actor', 'pupil', 'from', 'to'] as const;
const PER_PAGE = 50;

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(', ');
}

/** Who did what and when, for DPOs and school admins: filters live in the URL (ids only, no names). */
export function AuditLogPage() {
  const school = useSchool();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? undefined]));
  const path = `/api/v1/schools/${school.id}/audit-events`;
  const events = useQuery({
    queryKey: ['audit', school.id, params.toString()],
    queryFn: () => api.get<AuditEvents>(withQuery(path, { ...filters, page, perPage: PER_PAGE })),
    placeholderData: keepPreviousData,
  });
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const value = formText(data, name).trim();
      if (value !== '') {
        next.set(name, value);
      }
    }
    setParams(next);
  };
  const goTo = (target: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(target));
    setParams(next);
  };
  return (
    <Page title="Audit log" caption={school.name}>
      <p>
        Every sign-in, import, report and look at a pupil’s record is written here and cannot be changed
        afterwards. People and pupils appear by their pseudonymous ids.
      </p>
      <form className="filters" onSubmit={apply} aria-label="Filter the audit log">
        <TextField
          id="action"
          label="Action"
          hint="e.g. pupils.read, or auth. for all sign-in events"
          defaultValue={filters.action}
        />
        <TextField id="actor" label="Who (user id)" defaultValue={filters.actor} spellCheck={false} />
        <TextField id="pupil" label="Pupil id" defaultValue={filters.pupil} spellCheck={false} />
        <TextField id="from" label="From" type="date" defaultValue={filters.from} />
        <TextField id="to" label="To" type="date" defaultValue={filters.to} />
        <Button variant="secondary">Filter</Button>
      </form>
      <QueryView query={events} what="the audit log">
        {(result) => {
          const pages = Math.max(1, Math.ceil(result.total / result.perPage));
          return (
            <>
              <p>
                {result.total} event{result.total === 1 ? '' : 's'}.{' '}
                <a href={withQuery(`${path}.csv`, filters)} download>
                  Download these events as CSV
                </a>
              </p>
              <div className="table-wrapper">
                <table className="table">
                  <caption className="visually-hidden">Audit events, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Action</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">Who</th>
                      <th scope="col">About</th>
                      <th scope="col">Details</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.events.map((event) => (
                      <tr key={event.id}>
                        <td>{formatDateTime(event.occurredAt)}</td>
                        <td>
                          <code>{event.action}</code>
                        </td>
                        <td>{event.outcome}</td>
                        <td>
                          {event.actorType} <code>{event.actorId}</code>
                        </td>
                        <td>
                          {event.target === null ? '' : <code>{event.target}</code>}
                          {event.subjectIds.length > 0 ? ` (${event.subjectIds.length} pupil record(s))` : ''}
                        </td>
                        <td>{detailsText(event.details)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <nav className="pagination" aria-label="Audit log pages">
                {page > 1 ? (
                  <button type="button" className="button--link" onClick={() => goTo(page - 1)}>
                    Previous page
                  </button>
                ) : null}
                <span>
                  Page {page} of {pages}
                </span>
                {page < pages ? (
                  <button type="button" className="button--link" onClick={() => goTo(page + 1)}>
                    Next page
                  </button>
                ) : null}
              </nav>
            </>
          );
        }}
      </QueryView>
    </Page>
  );
}
