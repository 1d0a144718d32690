import { createSchool, type School } from '../../src/modules/organisations/organisations.service.ts';
import type { Services } from '../../src/services.ts';

let sequence = 0;

/** A new school with a unique synthetic name and URN: each test builds its own, so tests never share state. */
export async function buildSchool(services: Services, overrides: { name?: string } = {}): Promise<School> {
  sequence += 1;
  return createSchool(services, {
    name: overrides.name ?? `Test School ${process.pid}-${sequence}`,
    urn: String(100_000 + sequence),
  });
}
