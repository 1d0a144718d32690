import type { RouteObject } from 'react-router';

/** A school's retention (retention.manage: the school admin and the DPO). */
export const retentionRoutes: RouteObject[] = [
  {
    path: 'retention',
    lazy: async () => ({ Component: (await import('./retention-page.tsx')).RetentionPage }),
  },
  {
    path: 'retention/certificates/:certificateId',
    lazy: async () => ({ Component: (await import('./certificate-page.tsx')).RetentionCertificatePage }),
  },
];
