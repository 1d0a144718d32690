import type { RouteObject } from 'react-router';

/** Finding pupils and their records (teachers: their classes' pupils only, decided by the server). */
export const pupilRoutes: RouteObject[] = [
  { path: 'pupils', lazy: async () => ({ Component: (await import('./pupils-page.tsx')).PupilsPage }) },
  {
    path: 'pupils/:pupilId',
    lazy: async () => ({ Component: (await import('./pupil-page.tsx')).PupilPage }),
  },
];
