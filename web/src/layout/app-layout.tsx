import { useQueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../api/client.ts';
import type { MySchool } from '../api/types.ts';
import { Loading } from '../components/status.tsx';
import { IdleWarning } from '../session/idle-warning.tsx';
import {
  can,
  isDeveloper,
  isOperator,
  isSupportEngineer,
  myAuthorities,
  RequireSession,
  useSession,
} from '../session/session.tsx';
import { ErrorBoundary } from './error-boundary.tsx';

interface NavItem {
  to: string;
  label: string;
  permission: string | string[];
  end?: boolean;
}

/** The school menu: only what this person's role lets them use. Later features add their entries here. */
const SCHOOL_NAV: NavItem[] = [
  { to: '', label: 'Home', permission: 'organisation.read', end: true },
  { to: 'pupils', label: 'Pupils', permission: ['pupils.read', 'pupils.read_own_classes'] },
  { to: 'pep', label: 'PEPs', permission: 'pep.read' },
  { to: 'analysis', label: 'Analysis', permission: 'analysis.read' },
  { to: 'imports', label: 'Imports', permission: 'imports.run' },
  { to: 'connector', label: 'MIS connector', permission: 'connectors.manage' },
  { to: 'classes', label: 'Classes', permission: 'imports.run' },
  { to: 'staff', label: 'Staff', permission: 'users.manage' },
  { to: 'apps', label: 'Apps', permission: 'apps.approve' },
  { to: 'privacy', label: 'Privacy requests', permission: 'privacy.manage' },
  { to: 'breach-notices', label: 'Breach notices', permission: 'privacy.manage' },
  { to: 'retention', label: 'Retention', permission: 'retention.manage' },
  { to: 'support', label: 'Support access', permission: 'support.grant' },
  { to: 'data-protection', label: 'Data protection records', permission: 'privacy.manage' },
  { to: 'audit', label: 'Audit log', permission: 'audit.read' },
  { to: 'settings', label: 'Settings', permission: 'users.manage' },
];

function allowed(school: MySchool, item: NavItem): boolean {
  return [item.permission].flat().some((permission) => can(school, permission));
}

function SchoolNav({ school }: { school: MySchool }) {
  return (
    <nav className="school-nav" aria-label={`${school.name} menu`}>
      <ul>
        {SCHOOL_NAV.filter((item) => allowed(school, item)).map((item) => (
          <li key={item.to}>
            <NavLink to={`/schools/${school.id}/${item.to}`} end={item.end === true}>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A virtual school's menu: the term's dashboard, its children, adding a child. */
const AUTHORITY_NAV = [
  { to: '', label: 'Dashboard', end: true },
  { to: '/children', label: 'Children', end: true },
  { to: '/children/new', label: 'Add a child', end: true },
] as const;

function AuthorityNav({ authority }: { authority: { id: string; name: string } }) {
  return (
    <nav className="school-nav" aria-label={`${authority.name} menu`}>
      <ul>
        {AUTHORITY_NAV.map((item) => (
          <li key={item.to}>
            <NavLink to={`/authorities/${authority.id}/pep${item.to}`} end={item.end}>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Header() {
  const me = useSession();
  const { schoolId, authorityId } = useParams();
  const school = me.schools.find((entry) => entry.id === schoolId);
  const authorities = myAuthorities(me);
  const authority = authorities.find((entry) => entry.id === authorityId);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = async () => {
    await api.post('/api/v1/auth/logout').catch(() => undefined);
    queryClient.clear();
    await navigate('/sign-in?reason=signed-out');
  };
  return (
    <header className="header">
      <div className="header__bar width-container">
        <Link to="/" className="header__brand">
          Haven
        </Link>
        {school === undefined ? null : <span className="header__school">{school.name}</span>}
        {authority === undefined ? null : <span className="header__school">{authority.name}</span>}
        <nav aria-label="Your account" className="header__account">
          <ul>
            {isDeveloper(me) ? (
              <li>
                <Link to="/developer">Your apps</Link>
              </li>
            ) : null}
            {isSupportEngineer(me) ? (
              <li>
                <Link to="/support">Support access</Link>
              </li>
            ) : null}
            {isOperator(me) ? (
              <li>
                <Link to="/platform">Platform</Link>
              </li>
            ) : null}
            {authorities.map((entry) => (
              <li key={entry.id}>
                <Link to={`/authorities/${entry.id}/pep`}>
                  {authorities.length === 1 ? 'Virtual school' : `Virtual school: ${entry.name}`}
                </Link>
              </li>
            ))}
            {me.schools.length > 1 ? (
              <li>
                <Link to="/schools">Switch school</Link>
              </li>
            ) : null}
            <li>
              <Link to="/account">Your account</Link>
            </li>
            <li>
              <button type="button" className="button--link header__sign-out" onClick={() => void signOut()}>
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </div>
      {school === undefined ? null : (
        <div className="width-container">
          <SchoolNav school={school} />
        </div>
      )}
      {authority === undefined ? null : (
        <div className="width-container">
          <AuthorityNav authority={authority} />
        </div>
      )}
    </header>
  );
}

/** Signed-in pages: skip link, header with the school menu, the page, the idle-timeout warning. */
export function AppLayout() {
  // A new page starts without the last page's error.
  const { pathname } = useLocation();
  return (
    <RequireSession>
      <a href="#main-content" className="skip-link">
        Skip to main content
      </a>
      <Header />
      <div className="width-container">
        <main id="main-content" className="main" tabIndex={-1}>
          <ErrorBoundary key={pathname}>
            <Suspense fallback={<Loading what="the page" />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
      <Footer />
      <IdleWarning />
    </RequireSession>
  );
}

export function Footer() {
  return (
    <footer className="footer">
      <div className="width-container">
        <p>
          Haven keeps pupil data encrypted and pseudonymised. <a href="/api/docs">API documentation</a>
        </p>
      </div>
    </footer>
  );
}

/** Pages for people not signed in (sign-in, password links): the same frame without the menus. */
export function PublicLayout() {
  return (
    <>
      <a href="#main-content" className="skip-link">
        Skip to main content
      </a>
      <header className="header">
        <div className="header__bar width-container">
          <Link to="/" className="header__brand">
            Haven
          </Link>
        </div>
      </header>
      <div className="width-container">
        <main id="main-content" className="main main--narrow" tabIndex={-1}>
          <ErrorBoundary>
            <Outlet />
          </ErrorBoundary>
        </main>
      </div>
      <Footer />
    </>
  );
}
