import type { RouteObject } from 'react-router';

/** The school's register of data subject requests (privacy.manage: the school admin and the DPO). */
export const privacyRoutes: RouteObject[] = [
  {
    path: 'privacy',
    lazy: async () => ({ Component: (await import('./register-page.tsx')).PrivacyRegisterPage }),
  },
  {
    path: 'privacy/new',
    lazy: async () => ({ Component: (await import('./new-request-page.tsx')).NewRequestPage }),
  },
  {
    path: 'privacy/requests/:requestId',
    lazy: async () => ({ Component: (await import('./request-page.tsx')).PrivacyRequestPage }),
  },
  {
    path: 'privacy/certificates/:certificateId',
    lazy: async () => ({ Component: (await import('./certificate-page.tsx')).CertificatePage }),
  },
];
