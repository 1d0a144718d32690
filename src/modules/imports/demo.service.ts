import { randomBytes } from 'node:crypto';
import type { Services } from '../../services.ts';
import { createSchool, listSchools } from '../organisations/organisations.service.ts';
import { createUser } from '../organisations/users.service.ts';
import { runImport } from './imports.service.ts';
import { bufferSource } from './source.ts';
import { csvLine, PUPILS_HEADER, RESULTS_HEADER, syntheticSchool } from './synthetic.ts';

export const DEMO_PUPILS = 180;
const DEMO_ROLES = ['school_admin', 'data_manager', 'senior_leader'] as const;

export interface DemoSchool {
  schoolId: string;
  name: string;
  email: string;
  password: string;
}

function csv(header: readonly string[], rows: readonly string[][]): Buffer {
  return Buffer.from([header, ...rows].map((row) => csvLine(row)).join('\n'));
}

/**
 * On a platform with no school yet, a demo school filled with synthetic pupils (invented names, valid
 * UPNs, KS2, a year of results, targets and predictions), and an account to explore it with, so a new
 * user sees real-looking analysis at once. Never runs once any school exists.
 */
export async function ensureDemoSchool(services: Services, email: string): Promise<DemoSchool | undefined> {
  if ((await listSchools(services)).length > 0) {
    return undefined;
  }
  const cohort = syntheticSchool(0, DEMO_PUPILS, 2026);
  const name = 'Demo School (synthetic data)';
  const school = await createSchool(services, { name });
  const actor = { type: 'system' as const, id: 'demo' };
  for (const [file, header, rows] of [
    ['pupils.csv', PUPILS_HEADER, cohort.pupils],
    ['results.csv', RESULTS_HEADER, cohort.results],
  ] as const) {
    const outcome = await runImport(services, {
      schoolId: school.id,
      source: bufferSource(file, csv(header, rows)),
      options: { pseudonymousUpn: false, noNames: false },
      actor,
      dryRun: false,
    });
    if (outcome.status !== 'committed') {
      throw new Error(`the demo ${file} was refused: ${outcome.report.errors[0]?.message ?? 'unknown'}`);
    }
  }
  const password = randomBytes(18).toString('base64url');
  for (const role of DEMO_ROLES) {
    await createUser(services, { email, role, orgId: school.id, password }, actor);
  }
  return { schoolId: school.id, name, email, password };
}
