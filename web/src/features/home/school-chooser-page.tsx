import { Link, Navigate } from 'react-router';
import { Page } from '../../components/page.tsx';
import { Notice } from '../../components/status.tsx';
import { isDeveloper, isOperator, myAuthorities, useSession } from '../../session/session.tsx';

/** Where "/" leads: straight to the one school someone works in, or a choice when there are several. */
export function RootRedirect() {
  const me = useSession();
  const [only] = me.schools;
  if (me.schools.length === 1 && only !== undefined) {
    return <Navigate to={`/schools/${only.id}`} replace />;
  }
  // Virtual school staff and social workers work in a local authority, not a school: its PEPs are home.
  const authorities = myAuthorities(me);
  const [authority] = authorities;
  if (me.schools.length === 0 && authorities.length === 1 && authority !== undefined) {
    return <Navigate to={`/authorities/${authority.id}/pep`} replace />;
  }
  if (me.schools.length === 0 && isOperator(me)) {
    return <Navigate to="/platform" replace />;
  }
  if (me.schools.length === 0 && isDeveloper(me)) {
    return <Navigate to="/developer" replace />;
  }
  return <SchoolChooserPage />;
}

export function SchoolChooserPage() {
  const me = useSession();
  const otherRoles = me.memberships.filter((membership) => membership.orgKind !== 'school');
  const authorities = myAuthorities(me);
  return (
    <Page title="Your schools">
      {authorities.length === 0 ? null : (
        <section aria-labelledby="authorities-title">
          <h2 id="authorities-title">Virtual schools</h2>
          <ul className="card-list">
            {authorities.map((authority) => (
              <li key={authority.id} className="card">
                <Link to={`/authorities/${authority.id}/pep`} className="card__link">
                  {authority.name}
                </Link>
                <p className="hint">Personal Education Plans for the children it looks after</p>
              </li>
            ))}
          </ul>
        </section>
      )}
      {me.schools.length === 0 && authorities.length > 0 ? null : me.schools.length === 0 ? (
        <Notice title="Your account is not linked to a school yet">
          <p>Ask your school’s Haven administrator to add you to the school’s staff.</p>
        </Notice>
      ) : (
        <ul className="card-list">
          {me.schools.map((school) => (
            <li key={school.id} className="card">
              <Link to={`/schools/${school.id}`} className="card__link">
                {school.name}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {otherRoles.length === 0 ? null : (
        <>
          <h2>Your other roles</h2>
          <ul>
            {otherRoles.map((membership) => (
              <li key={`${membership.orgId}${membership.role}`}>
                {membership.orgName}: {membership.role.replaceAll('_', ' ')}
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
