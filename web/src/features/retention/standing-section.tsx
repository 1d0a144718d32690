import { longDate } from '../privacy/api.ts';
import type { Overview } from './api.ts';

/** Where the whole school stands: leaving (and when its data goes), or how long it may stay inactive. */
export function StandingSection({ overview }: { overview: Overview; schoolId: string }) {
  const { school, leaving } = overview;
  return (
    <section aria-labelledby="standing-title">
      <h2 id="standing-title">Your school’s data</h2>
      {leaving.status === 'leaving' ? (
        <div className="notice notice--warning">
          <p>
            <strong>Your school is leaving Haven.</strong> All of its data will be deleted on{' '}
            <strong>{longDate(leaving.deletionDueOn)}</strong>
            {school.held ? ', unless the legal hold on the whole school is still in place' : ''}.
          </p>
        </div>
      ) : (
        <dl className="summary-list">
          <div>
            <dt>Last used</dt>
            <dd>{longDate(school.lastActivity)} (a staff sign-in, an import or an app’s request)</dd>
          </div>
          <div>
            <dt>Deleted if nobody uses Haven until</dt>
            <dd>
              {longDate(school.dueOn)}
              {school.held ? ' (a legal hold on the whole school stops this)' : ''}. School administrators are
              e-mailed a month and a week before.
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}
