import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { Button } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import {
  breachKey,
  breachPath,
  clockWords,
  DATA_NAMES,
  ICO_NAMES,
  listKey,
  NATURE_NAMES,
  PEOPLE_NAMES,
  SUBJECTS_NAMES,
  type Details,
} from './api.ts';
import { CloseForm, NotificationsForm, UpdateForm } from './breach-forms.tsx';

function Facts({ breach }: { breach: Details }) {
  const rows: Array<[string, string]> = [
    ['Status', breach.status === 'open' ? 'Open' : 'Closed'],
    ['Haven became aware', breach.aware.display],
    ['It happened', breach.occurred?.display ?? 'Not known'],
    [
      'ICO deadline (72 hours)',
      `${breach.icoDeadline.display}${breach.status === 'open' && breach.ico.status === 'pending' ? ` — ${clockWords(breach.icoDeadline)}` : ''}`,
    ],
    ['Kind', NATURE_NAMES[breach.nature]],
    ['What happened', breach.description],
    ['Whose data', breach.peopleCategories.map((key) => PEOPLE_NAMES[key]).join(', ')],
    ['What data', breach.dataCategories.map((key) => DATA_NAMES[key]).join(', ')],
    ['About how many', `${breach.approxPeople} people, ${breach.approxRecords} records`],
    ['Likely consequences', breach.consequences],
    ['Measures taken', breach.measuresTaken],
    ['Measures proposed', breach.measuresProposed ?? 'None recorded'],
    ['Contact', breach.contact],
  ];
  return (
    <dl className="summary-list">
      {rows.map(([label, value]) => (
        <div key={label} className="summary-list__row">
          <dt>{label}</dt>
          <dd className="pre-line">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Schools({ breach }: { breach: Details }) {
  const queryClient = useQueryClient();
  const send = useMutation({
    mutationFn: () => api.post<{ schoolsSent: number }>(`${breachPath(breach.id)}/notices`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: breachKey(breach.id) });
      await queryClient.invalidateQueries({ queryKey: listKey });
    },
  });
  const untold = breach.schools.filter((school) => school.notified === null).length;
  return (
    <section aria-labelledby="schools-title">
      <h2 id="schools-title">Notices to the schools</h2>
      {breach.schools.length === 0 ? (
        <p>No school’s data is involved.</p>
      ) : (
        <div className="table-wrapper">
          <table className="table">
            <caption>
              Schools affected ({breach.schools.length}); Haven’s target is 24 hours from awareness
            </caption>
            <thead>
              <tr>
                <th scope="col">School</th>
                <th scope="col">Tell by</th>
                <th scope="col">Notice sent</th>
                <th scope="col">Acknowledged</th>
              </tr>
            </thead>
            <tbody>
              {breach.schools.map((school) => (
                <tr key={school.schoolId}>
                  <td>{school.name}</td>
                  <td>
                    {school.notifyBy.display}
                    {school.notified === null ? (
                      <>
                        <br />
                        <strong>{clockWords(school.notifyBy)}</strong>
                      </>
                    ) : null}
                  </td>
                  <td>{school.notified?.display ?? 'Not sent'}</td>
                  <td>{school.acknowledged?.display ?? 'Not yet'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {send.isSuccess ? (
        <Notice tone="success">
          <p>
            The notice was sent to {send.data.schoolsSent} school(s) and e-mailed to their administrators and
            DPOs.
          </p>
        </Notice>
      ) : null}
      {send.isError ? <ErrorNotice error={send.error} title="The notices were not sent" /> : null}
      {untold > 0 && breach.status === 'open' ? (
        <Button type="button" onClick={() => send.mutate()} busy={send.isPending}>
          Send the notice to {untold} school{untold === 1 ? '' : 's'}
        </Button>
      ) : null}
    </section>
  );
}

function Record({ breach }: { breach: Details }) {
  return (
    <section aria-labelledby="record-title">
      <h2 id="record-title">The ICO and the people involved</h2>
      <dl className="summary-list">
        <div className="summary-list__row">
          <dt>ICO</dt>
          <dd>
            {ICO_NAMES[breach.ico.status]}
            {breach.ico.told === null ? '' : ` on ${breach.ico.told.display}`}
            {breach.ico.reference === null ? '' : ` (reference ${breach.ico.reference})`}
            {breach.ico.reason === null ? '' : `: ${breach.ico.reason}`}
          </dd>
        </div>
        <div className="summary-list__row">
          <dt>People involved</dt>
          <dd>
            {SUBJECTS_NAMES[breach.subjects.status]}
            {breach.subjects.told === null ? '' : ` on ${breach.subjects.told.display}`}
            {breach.subjects.reason === null ? '' : `: ${breach.subjects.reason}`}
          </dd>
        </div>
      </dl>
      {breach.status === 'open' ? <NotificationsForm breach={breach} /> : null}
    </section>
  );
}

function Updates({ breach }: { breach: Details }) {
  return (
    <section aria-labelledby="updates-title">
      <h2 id="updates-title">Updates</h2>
      {breach.updates.length === 0 ? (
        <p>No updates yet.</p>
      ) : (
        <ol>
          {breach.updates.map((update) => (
            <li key={update.id}>
              <p>
                <strong>{update.display}</strong>{' '}
                {update.sentToSchools ? '(sent to the schools)' : '(not sent)'}
              </p>
              <p className="pre-line">{update.text}</p>
            </li>
          ))}
        </ol>
      )}
      {breach.status === 'open' ? <UpdateForm breach={breach} /> : null}
    </section>
  );
}

/** One breach: its facts and clocks, the notice to each school, the ICO record, updates and closure. */
export function BreachPage() {
  const { breachId = '' } = useParams();
  const breach = useQuery({
    queryKey: breachKey(breachId),
    queryFn: () => api.get<Details>(breachPath(breachId)),
  });
  return (
    <QueryView query={breach} what="the breach">
      {(details) => (
        <Page title={`Breach ${details.reference}`} caption="Breach register">
          <p>
            <Link to="/platform/breaches">Back to the breach register</Link>
          </p>
          <Facts breach={details} />
          <Schools breach={details} />
          <Record breach={details} />
          <Updates breach={details} />
          <section aria-labelledby="closure-title">
            <h2 id="closure-title">Closure</h2>
            {details.closure === null ? (
              <CloseForm breach={details} />
            ) : (
              <dl className="summary-list">
                <div className="summary-list__row">
                  <dt>Closed</dt>
                  <dd>{details.closure.display}</dd>
                </div>
                <div className="summary-list__row">
                  <dt>Outcome</dt>
                  <dd className="pre-line">{details.closure.outcome}</dd>
                </div>
                <div className="summary-list__row">
                  <dt>Lessons</dt>
                  <dd className="pre-line">{details.closure.lessons}</dd>
                </div>
              </dl>
            )}
          </section>
        </Page>
      )}
    </QueryView>
  );
}
