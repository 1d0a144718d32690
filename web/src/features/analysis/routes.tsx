import type { RouteObject } from 'react-router';

// Each page is loaded when first visited, so Observable Plot stays out of the first page's bundle.
export const analysisRoutes: RouteObject[] = [
  {
    path: 'analysis',
    lazy: async () => ({ Component: (await import('./headline-page.tsx')).HeadlinePage }),
  },
  {
    path: 'analysis/progress-8',
    lazy: async () => ({ Component: (await import('./progress8-page.tsx')).Progress8Page }),
  },
  {
    path: 'analysis/gaps',
    lazy: async () => ({ Component: (await import('./gaps-page.tsx')).GapsPage }),
  },
  {
    path: 'analysis/targets',
    lazy: async () => ({ Component: (await import('./targets-page.tsx')).TargetsPage }),
  },
  {
    path: 'analysis/residuals',
    lazy: async () => ({ Component: (await import('./residuals-page.tsx')).ResidualsPage }),
  },
];
