import type { RouteObject } from 'react-router';

export const schoolAdminRoutes: RouteObject[] = [];
