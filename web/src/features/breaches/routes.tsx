import type { RouteObject } from 'react-router';

/** The platform operator's breach register. */
export const breachPlatformRoutes: RouteObject[] = [
  {
    path: '/platform/breaches',
    lazy: async () => ({ Component: (await import('./register-page.tsx')).BreachRegisterPage }),
  },
  {
    path: '/platform/breaches/new',
    lazy: async () => ({ Component: (await import('./new-breach-page.tsx')).NewBreachPage }),
  },
  {
    path: '/platform/breaches/:breachId',
    lazy: async () => ({ Component: (await import('./breach-page.tsx')).BreachPage }),
  },
];

/** The school's breach notices (privacy.manage: the school admin and the DPO). */
export const breachSchoolRoutes: RouteObject[] = [
  {
    path: 'breach-notices',
    lazy: async () => ({ Component: (await import('./notices-page.tsx')).BreachNoticesPage }),
  },
];
