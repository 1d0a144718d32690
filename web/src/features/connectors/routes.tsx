import type { RouteObject } from 'react-router';

/** A school's MIS connector (connectors.manage: the school admin and the data manager). */
export const connectorRoutes: RouteObject[] = [
  {
    path: 'connector',
    lazy: async () => ({ Component: (await import('./connector-page.tsx')).ConnectorPage }),
  },
];
