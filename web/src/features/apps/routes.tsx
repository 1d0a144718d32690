import type { RouteObject } from 'react-router';

/** A school's authorised apps (inside a school). */
export const schoolAppRoutes: RouteObject[] = [
  {
    path: 'apps',
    lazy: async () => ({ Component: (await import('./school-apps-page.tsx')).SchoolAppsPage }),
  },
];

/** The data access request page (OAuth consent) and the app developer's pages (outside any school). */
export const appRoutes: RouteObject[] = [
  {
    path: '/oauth/interaction/:uid',
    lazy: async () => ({ Component: (await import('./consent-page.tsx')).ConsentPage }),
  },
  {
    path: '/developer',
    lazy: async () => ({ Component: (await import('./developer-page.tsx')).DeveloperPage }),
  },
];

/** Public: asking to become an app developer. */
export const publicAppRoutes: RouteObject[] = [
  {
    path: '/developers/apply',
    lazy: async () => ({ Component: (await import('./apply-page.tsx')).ApplyPage }),
  },
];
