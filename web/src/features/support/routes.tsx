import type { RouteObject } from 'react-router';

/** A school's support access (support.grant: the school admin). */
export const schoolSupportRoutes: RouteObject[] = [
  {
    path: 'support',
    lazy: async () => ({ Component: (await import('./school-support-page.tsx')).SchoolSupportPage }),
  },
];

/** A support engineer's own grants (outside any school). */
export const supportRoutes: RouteObject[] = [
  {
    path: '/support',
    lazy: async () => ({ Component: (await import('./my-support-page.tsx')).MySupportPage }),
  },
];
