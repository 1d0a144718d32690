import { createBrowserRouter, type RouteObject } from 'react-router';
import { AccountPage } from '../features/account/account-page.tsx';
import { SessionsPage } from '../features/account/sessions-page.tsx';
import { TwoFactorPage } from '../features/account/two-factor-page.tsx';
import { ForgotPasswordPage } from '../features/auth/forgot-password-page.tsx';
import { SetPasswordPage } from '../features/auth/set-password-page.tsx';
import { SignInPage } from '../features/auth/sign-in-page.tsx';
import { RootRedirect, SchoolChooserPage } from '../features/home/school-chooser-page.tsx';
import { SchoolHomePage } from '../features/home/school-home-page.tsx';
import { NotFoundPage } from '../features/home/not-found-page.tsx';
import { schoolAdminRoutes } from '../features/school-admin/routes.tsx';
import { AppLayout, PublicLayout } from '../layout/app-layout.tsx';
import { analysisRoutes } from '../features/analysis/routes.tsx';
import { importRoutes } from '../features/imports/routes.tsx';
import { pupilRoutes } from '../features/pupils/routes.tsx';
import { platformRoutes } from '../features/platform/routes.tsx';
import { appRoutes, publicAppRoutes, schoolAppRoutes } from '../features/apps/routes.tsx';
import { privacyRoutes } from '../features/privacy/routes.tsx';
import { retentionRoutes } from '../features/retention/routes.tsx';
import { connectorRoutes } from '../features/connectors/routes.tsx';
import { schoolSupportRoutes, supportRoutes } from '../features/support/routes.tsx';
import { termsRoutes } from '../features/terms/routes.tsx';
import { breachPlatformRoutes, breachSchoolRoutes } from '../features/breaches/routes.tsx';
import { publicMarketingRoutes } from '../features/marketing/routes.tsx';
import { governanceRoutes, platformGovernanceRoutes } from '../features/governance/routes.tsx';
import { authorityPepRoutes, schoolPepRoutes } from '../features/pep/routes.tsx';

/** Pages inside a school: /schools/:schoolId/… Each feature owns its routes (features/<name>/routes.tsx). */
const schoolRoutes: RouteObject[] = [
  { index: true, Component: SchoolHomePage },
  ...importRoutes,
  ...analysisRoutes,
  ...pupilRoutes,
  ...schoolAdminRoutes,
  ...schoolAppRoutes,
  ...privacyRoutes,
  ...retentionRoutes,
  ...connectorRoutes,
  ...schoolSupportRoutes,
  ...termsRoutes,
  ...breachSchoolRoutes,
  ...governanceRoutes,
  ...schoolPepRoutes,
];

export const routes: RouteObject[] = [
  {
    Component: PublicLayout,
    children: [
      { path: '/sign-in', Component: SignInPage },
      { path: '/forgot-password', Component: ForgotPasswordPage },
      { path: '/reset-password', Component: SetPasswordPage },
      { path: '/set-password', Component: SetPasswordPage },
      ...publicAppRoutes,
      ...publicMarketingRoutes,
    ],
  },
  {
    Component: AppLayout,
    children: [
      { path: '/', Component: RootRedirect },
      { path: '/schools', Component: SchoolChooserPage },
      { path: '/account', Component: AccountPage },
      { path: '/account/sessions', Component: SessionsPage },
      { path: '/account/two-factor', Component: TwoFactorPage },
      { path: '/schools/:schoolId', children: schoolRoutes },
      ...platformRoutes,
      ...breachPlatformRoutes,
      ...platformGovernanceRoutes,
      ...appRoutes,
      ...supportRoutes,
      ...authorityPepRoutes,
      { path: '*', Component: NotFoundPage },
    ],
  },
];

export const router = createBrowserRouter(routes);
