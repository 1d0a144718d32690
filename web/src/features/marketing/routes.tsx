import type { RouteObject } from 'react-router';

/** Public: the operator's contact and newsletter forms, and the page behind every unsubscribe link. */
export const publicMarketingRoutes: RouteObject[] = [
  {
    path: '/contact',
    lazy: async () => ({ Component: (await import('./contact-page.tsx')).ContactPage }),
  },
  {
    path: '/newsletter',
    lazy: async () => ({ Component: (await import('./contact-page.tsx')).NewsletterPage }),
  },
  {
    path: '/unsubscribe',
    lazy: async () => ({ Component: (await import('./unsubscribe-page.tsx')).UnsubscribePage }),
  },
];
