import type { RouteObject } from 'react-router';

export const pupilRoutes: RouteObject[] = [];
