import type { RouteObject } from 'react-router';

const childPages: RouteObject[] = [
  {
    path: 'children/:childId',
    lazy: async () => ({ Component: (await import('./child-page.tsx')).PepChildPage }),
  },
  {
    path: 'children/:childId/peps/:pepId',
    lazy: async () => ({ Component: (await import('./pep-page.tsx')).PepPage }),
  },
];

/** The virtual school (a local authority): /authorities/:authorityId/pep/… */
export const authorityPepRoutes: RouteObject[] = [
  {
    path: '/authorities/:authorityId/pep',
    children: [
      {
        index: true,
        lazy: async () => ({ Component: (await import('./dashboard-page.tsx')).PepDashboardPage }),
      },
      {
        path: 'children',
        lazy: async () => ({ Component: (await import('./children-page.tsx')).PepChildrenPage }),
      },
      {
        path: 'children/new',
        lazy: async () => ({ Component: (await import('./new-child-page.tsx')).NewChildPage }),
      },
      ...childPages,
    ],
  },
];

/** A school's designated teacher (pep.read): /schools/:schoolId/pep/… */
export const schoolPepRoutes: RouteObject[] = [
  {
    path: 'pep',
    children: [
      { index: true, lazy: async () => ({ Component: (await import('./links-page.tsx')).SchoolPepPage }) },
      ...childPages,
    ],
  },
];
