import type { RouteObject } from 'react-router';

/** A school's data protection records (privacy.manage: the school admin and the DPO). */
export const governanceRoutes: RouteObject[] = [
  {
    path: 'data-protection',
    lazy: async () => ({ Component: (await import('./records-page.tsx')).RecordsPage }),
  },
];

/** The operator's data protection records, reached from the Platform page. */
export const platformGovernanceRoutes: RouteObject[] = [
  {
    path: '/platform/data-protection',
    lazy: async () => ({ Component: (await import('./platform-records-page.tsx')).PlatformRecordsPage }),
  },
];
