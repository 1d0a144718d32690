import { Link } from 'react-router';
import { longDate } from '../privacy/api.ts';
import { DUE_BECAUSE, type Overview } from './api.ts';

/** Pupils whose data goes in the coming weeks, when and why; held ones are marked in words. */
export function OutlookSection({ overview, schoolId }: { overview: Overview; schoolId: string }) {
  const { pupils } = overview;
  return (
    <section aria-labelledby="outlook-title">
      <h2 id="outlook-title">Pupils whose data goes by {longDate(overview.until)}</h2>
      {pupils.length === 0 ? (
        <p>Nobody in the next 90 days.</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">
            Pupils due for deletion, earliest first, with the reason and whether a legal hold keeps them
          </caption>
          <thead>
            <tr>
              <th scope="col">Pupil</th>
              <th scope="col">Deleted on</th>
              <th scope="col">Because the pupil</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {pupils.map((pupil) => (
              <tr key={pupil.pupilId}>
                <td>
                  <Link to={`/schools/${schoolId}/pupils/${pupil.pupilId}`} className="pupil-id">
                    {pupil.pupilId.slice(0, 8)}
                    <span className="visually-hidden"> (open the pupil’s record)</span>
                  </Link>
                </td>
                <td>{longDate(pupil.dueOn)}</td>
                <td>{DUE_BECAUSE[pupil.rule]}</td>
                <td>
                  {pupil.held ? (
                    <span className="tag tag--amber">Kept by a legal hold</span>
                  ) : (
                    <span className="tag tag--grey">Will be deleted</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {overview.withoutBirthDate > 0 ? (
        <p className="hint">
          {overview.withoutBirthDate} pupil{overview.withoutBirthDate === 1 ? ' has' : 's have'} no date of
          birth, so the age rule cannot reach {overview.withoutBirthDate === 1 ? 'them' : 'them'}: add it in
          your MIS and import again.
        </p>
      ) : null}
    </section>
  );
}
