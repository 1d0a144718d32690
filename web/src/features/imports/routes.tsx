import type { RouteObject } from 'react-router';

// Each page is its own chunk: the first page of a visit does not carry the import wizard.
export const importRoutes: RouteObject[] = [
  {
    path: 'imports',
    lazy: async () => ({ Component: (await import('./import-history-page.tsx')).ImportHistoryPage }),
  },
  {
    path: 'imports/new',
    lazy: async () => ({ Component: (await import('./import-wizard-page.tsx')).ImportWizardPage }),
  },
  {
    path: 'imports/:importId',
    lazy: async () => ({ Component: (await import('./import-detail-page.tsx')).ImportDetailPage }),
  },
];
