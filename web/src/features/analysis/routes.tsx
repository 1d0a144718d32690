import type { RouteObject } from 'react-router';

export const analysisRoutes: RouteObject[] = [];
