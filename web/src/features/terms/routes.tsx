import type { RouteObject } from 'react-router';

/** The terms of service as a school sees them (everyone reads; school admins answer). */
export const termsRoutes: RouteObject[] = [
  {
    path: 'terms',
    lazy: async () => ({ Component: (await import('./terms-page.tsx')).TermsPage }),
  },
];
