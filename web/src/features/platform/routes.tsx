import type { RouteObject } from 'react-router';

/** The platform operator's pages (outside any school). */
export const platformRoutes: RouteObject[] = [
  {
    path: '/platform',
    lazy: async () => ({ Component: (await import('./platform-page.tsx')).PlatformPage }),
  },
];
