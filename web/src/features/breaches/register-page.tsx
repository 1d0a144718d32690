import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { Page } from '../../components/page.tsx';
import { QueryView } from '../../components/status.tsx';
import { breachesPath, clockWords, ICO_NAMES, listKey, type Summary } from './api.ts';

/** Every breach, open ones first, with the ICO's 72 hours and Haven's 24-hour target to tell schools. */
export function BreachRegisterPage() {
  const breaches = useQuery({ queryKey: listKey, queryFn: () => api.get<Summary[]>(breachesPath) });
  return (
    <Page title="Breach register">
      <p>
        Every personal data breach is recorded here, whether or not anyone is told. The ICO must hear within
        72 hours of awareness (the school decides, as the controller); Haven tells each affected school within
        24 hours.
      </p>
      <p>
        <Link to="/platform/breaches/new" className="button button--primary">
          Record a breach
        </Link>
      </p>
      <QueryView query={breaches} what="the breach register">
        {(list) =>
          list.length === 0 ? (
            <p>No breaches have been recorded.</p>
          ) : (
            <div className="table-wrapper">
              <table className="table">
                <caption>Breaches ({list.length})</caption>
                <thead>
                  <tr>
                    <th scope="col">Reference</th>
                    <th scope="col">Status</th>
                    <th scope="col">Aware</th>
                    <th scope="col">ICO deadline (72 hours)</th>
                    <th scope="col">ICO</th>
                    <th scope="col">Schools told</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((breach) => (
                    <tr key={breach.id}>
                      <td>
                        <Link to={`/platform/breaches/${breach.id}`}>{breach.reference}</Link>
                      </td>
                      <td>{breach.status === 'open' ? 'Open' : 'Closed'}</td>
                      <td>{breach.aware.display}</td>
                      <td>
                        {breach.icoDeadline.display}
                        {breach.status === 'open' && breach.icoStatus === 'pending' ? (
                          <>
                            <br />
                            <strong>{clockWords(breach.icoDeadline)}</strong>
                          </>
                        ) : null}
                      </td>
                      <td>{ICO_NAMES[breach.icoStatus]}</td>
                      <td>
                        {breach.schoolsNotified} of {breach.schoolsAffected}
                        {breach.schoolsNotified < breach.schoolsAffected && breach.status === 'open' ? (
                          <>
                            <br />
                            <strong>{clockWords(breach.schoolTarget)}</strong>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </Page>
  );
}
