import type { DB } from '../../src/database.ts';
import { createSchool, type School } from '../../src/modules/organisations/organisations.service.ts';
import type { HavenDatabase } from '../../src/platform/db/database.ts';

let sequence = 0;

/** A new school with a unique synthetic name and URN: each test builds its own, so tests never share state. */
export async function buildSchool(db: HavenDatabase<DB>, overrides: { name?: string } = {}): Promise<School> {
  sequence += 1;
  return createSchool(db, {
    name: overrides.name ?? `Test School ${process.pid}-${sequence}`,
    urn: String(100_000 + sequence),
  });
}
