import type { RouteObject } from 'react-router';

/** Running the school's Haven: staff and roles, classes and their teachers, the audit log, settings. */
export const schoolAdminRoutes: RouteObject[] = [
  { path: 'staff', lazy: async () => ({ Component: (await import('./staff-page.tsx')).StaffPage }) },
  { path: 'classes', lazy: async () => ({ Component: (await import('./classes-page.tsx')).ClassesPage }) },
  { path: 'audit', lazy: async () => ({ Component: (await import('./audit-page.tsx')).AuditLogPage }) },
  { path: 'settings', lazy: async () => ({ Component: (await import('./settings-page.tsx')).SettingsPage }) },
];
